import { eq, sql } from 'drizzle-orm';
import { inventoryUnits } from '../../db/schema';
import type { Importer } from '../csv/import-runner';
import { createUnitSchema, UNIT_STATUSES, type CreateUnitInput } from '../inventory/schemas';
import { addUnit } from '../inventory/units';
import { transitionUnit, type UnitStatus } from '../inventory/unit-lifecycle';
import { zodFieldErrors } from '../service-errors';
import { dateCell, moneyCell, optionalTextCell, RowErrors } from './cells';
import { productOfKind } from './catalog-lookups';

type UnitImport = { input: CreateUnitInput; status: UnitStatus };

/**
 * Serialized units (one row per instrument). Re-importing a legacy id that exists leaves the unit alone
 * (its passport already tells its story since the import) and counts it as unchanged.
 */
export const unitsImporter: Importer<UnitImport> = {
  kind: 'units',
  label: 'Serialized units',
  columns: [
    { name: 'legacy_id', required: true, description: 'The unit id in the old system.' },
    { name: 'sku', required: true, description: 'SKU of a serialized product (import products first).' },
    { name: 'serial_number', required: true, description: 'Serial number (unique per product).' },
    { name: 'condition', description: 'new, excellent, good, fair or poor (default new).' },
    { name: 'status', description: `Current status (default available): ${UNIT_STATUSES.join(', ')}.` },
    { name: 'cost', description: 'What the store paid, e.g. 450.00.' },
    { name: 'acquired_on', description: 'Date acquired (YYYY-MM-DD or M/D/YYYY).' },
    { name: 'location', description: 'Location or bin.' },
    { name: 'notes', description: 'Notes.' },
  ],
  async validate(db, row) {
    const errors = new RowErrors();
    const sku = optionalTextCell(row.sku);
    const product = await productOfKind(db, errors, row.sku, 'serialized');
    const status = (optionalTextCell(row.status) ?? 'available').toLowerCase();
    if (!(UNIT_STATUSES as readonly string[]).includes(status)) errors.add('status', `Unknown status "${row.status}".`);
    const input: Record<string, unknown> = {
      product_id: product?.id ?? '00000000-0000-4000-8000-000000000000',
      serial_number: row.serial_number ?? '',
      condition: (optionalTextCell(row.condition) ?? 'new').toLowerCase(),
      cost_cents: errors.take('cost', moneyCell(row.cost)),
      acquired_on: errors.take('acquired_on', dateCell(row.acquired_on)) ?? null,
      acquired_via: 'import',
      location: optionalTextCell(row.location),
      notes: optionalTextCell(row.notes),
      legacy_id: optionalTextCell(row.legacy_id) ?? null,
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (!input.legacy_id) errors.add('legacy_id', 'Every row needs the id from the old system.');
    const parsed = createUnitSchema.safeParse(input);
    if (!parsed.success) for (const [field, reason] of Object.entries(zodFieldErrors(parsed.error))) errors.add(field === 'cost_cents' ? 'cost' : field, reason);
    if (parsed.success && product) {
      const [other] = await db
        .select({ legacyId: inventoryUnits.legacyId })
        .from(inventoryUnits)
        .where(sql`${inventoryUnits.productId} = ${product.id} and lower(${inventoryUnits.serialNumber}) = ${parsed.data.serial_number.toLowerCase()}`);
      if (other && other.legacyId !== parsed.data.legacy_id) errors.add('serial_number', `Serial ${parsed.data.serial_number} already exists for ${sku}.`);
    }
    if (!errors.empty || !parsed.success) return { ok: false, errors: errors.list };
    return { ok: true, value: { input: parsed.data, status: status as UnitStatus }, legacyId: parsed.data.legacy_id ?? null };
  },
  uniqueKeys(value) {
    return [{ column: 'serial_number', key: `${value.input.product_id}:${value.input.serial_number.toLowerCase()}`, label: 'product and serial number' }];
  },
  async exists(db, legacyId) {
    return (await db.select({ id: inventoryUnits.id }).from(inventoryUnits).where(eq(inventoryUnits.legacyId, legacyId))).length > 0;
  },
  async apply(tx, actor, value, legacyId) {
    if (legacyId && (await this.exists(tx, legacyId))) return 'unchanged';
    const unit = await addUnit(tx, actor, value.input);
    if (value.status !== 'available') {
      await transitionUnit(tx, actor, unit.id, value.status, { eventType: 'import', summary: `Imported as ${value.status.replace('_', ' ')} from the previous system` });
    }
    return 'created';
  },
};
