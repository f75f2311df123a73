import type { Importer } from '../csv/import-runner';
import { createProductSchema, updateProductSchema, type CreateProductInput } from '../inventory/schemas';
import { createProduct, updateProduct } from '../inventory/products';
import { zodFieldErrors } from '../service-errors';
import { boolCell, intCell, moneyCell, optionalTextCell, RowErrors } from './cells';
import { ensureCategoryPath, productBySku, productIdByLegacy, taxClassByName } from './catalog-lookups';

type ProductImport = { input: CreateProductInput; categoryPath: string | null };

const FIELD_TO_COLUMN: Record<string, string> = { cost_cents: 'cost', price_cents: 'price', min_price_cents: 'min_price', monthly_rental_cents: 'monthly_rental', rto_purchase_price_cents: 'rto_purchase_price' };

export const productsImporter: Importer<ProductImport> = {
  kind: 'products',
  label: 'Products (catalog)',
  columns: [
    { name: 'legacy_id', required: true, description: 'The item id in the old system; re-importing it updates the product.' },
    { name: 'sku', required: true, description: 'Your SKU (unique, no spaces).' },
    { name: 'name', required: true, description: 'Product name.' },
    { name: 'kind', required: true, description: 'serialized, stock, service or non_inventory.' },
    { name: 'upc', description: 'UPC/EAN barcode digits.' },
    { name: 'brand', description: 'Brand.' },
    { name: 'model', description: 'Model.' },
    { name: 'description', description: 'Description.' },
    { name: 'category', description: 'Category path such as "Band > Brass"; missing categories are created.' },
    { name: 'cost', description: 'Cost, e.g. 12.50.' },
    { name: 'price', description: 'Selling price.' },
    { name: 'min_price', description: 'Lowest price allowed without an override.' },
    { name: 'tax_class', description: 'Tax class name (default: the store default class).' },
    { name: 'sellable', description: 'yes/no (default yes).' },
    { name: 'rentable', description: 'yes/no: part of the rental fleet.' },
    { name: 'repair_use', description: 'yes/no: used as a repair part.' },
    { name: 'size', description: 'Size such as 1/2, 3/4, 4/4.' },
    { name: 'monthly_rental', description: 'Default monthly rental rate.' },
    { name: 'rto_purchase_price', description: 'Rent-to-own purchase price.' },
    { name: 'reorder_point', description: 'Reorder when on hand falls to this.' },
    { name: 'reorder_quantity', description: 'How many to reorder.' },
  ],
  async validate(db, row) {
    const errors = new RowErrors();
    const legacyId = optionalTextCell(row.legacy_id) ?? null;
    const taxClassName = optionalTextCell(row.tax_class);
    const taxClassId = taxClassName ? await taxClassByName(db, taxClassName) : undefined;
    if (taxClassName && !taxClassId) errors.add('tax_class', `No tax class named "${taxClassName}".`);
    const input: Record<string, unknown> = {
      legacy_id: legacyId,
      sku: row.sku ?? '',
      name: row.name ?? '',
      kind: (row.kind ?? '').trim().toLowerCase(),
      upc: optionalTextCell(row.upc) ?? null,
      brand: optionalTextCell(row.brand),
      model: optionalTextCell(row.model),
      description: optionalTextCell(row.description),
      cost_cents: errors.take('cost', moneyCell(row.cost)),
      price_cents: errors.take('price', moneyCell(row.price)),
      min_price_cents: errors.take('min_price', moneyCell(row.min_price)),
      tax_class_id: taxClassId ?? undefined,
      sellable: errors.take('sellable', boolCell(row.sellable)),
      rentable: errors.take('rentable', boolCell(row.rentable)),
      repair_use: errors.take('repair_use', boolCell(row.repair_use)),
      size: optionalTextCell(row.size),
      monthly_rental_cents: errors.take('monthly_rental', moneyCell(row.monthly_rental)),
      rto_purchase_price_cents: errors.take('rto_purchase_price', moneyCell(row.rto_purchase_price)),
      reorder_point: errors.take('reorder_point', intCell(row.reorder_point)),
      reorder_quantity: errors.take('reorder_quantity', intCell(row.reorder_quantity)),
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (!legacyId) errors.add('legacy_id', 'Every row needs the id from the old system.');
    const parsed = createProductSchema.safeParse(input);
    if (!parsed.success) for (const [field, reason] of Object.entries(zodFieldErrors(parsed.error))) errors.add(FIELD_TO_COLUMN[field] ?? field, reason);
    if (parsed.success) {
      // A SKU held by a different product (another legacy id) would make the commit fail half-way.
      const holder = await productBySku(db, parsed.data.sku);
      if (holder && holder.legacyId !== legacyId) errors.add('sku', `SKU ${parsed.data.sku} already belongs to another product.`);
    }
    if (!errors.empty || !parsed.success) return { ok: false, errors: errors.list };
    return { ok: true, value: { input: parsed.data, categoryPath: optionalTextCell(row.category) ?? null }, legacyId };
  },
  async exists(db, legacyId) {
    return (await productIdByLegacy(db, legacyId)) !== null;
  },
  async apply(tx, actor, value, legacyId) {
    const categoryId = value.categoryPath ? await ensureCategoryPath(tx, actor, value.categoryPath) : undefined;
    const input = { ...value.input, ...(categoryId !== undefined ? { category_id: categoryId } : {}) };
    const existingId = legacyId ? await productIdByLegacy(tx, legacyId) : null;
    if (!existingId) {
      await createProduct(tx, actor, input);
      return 'created';
    }
    const { kind, ...rest } = input;
    await updateProduct(tx, actor, existingId, updateProductSchema.parse({ ...rest, kind }));
    return 'updated';
  },
};
