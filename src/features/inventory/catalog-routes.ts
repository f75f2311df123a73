import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { categorySchema, createSupplierSchema, SUPPLIER_SORTS, updateCategorySchema, updateSupplierSchema } from './schemas';
import { createCategory, getCategory, listCategoryTree, updateCategory } from './categories';
import { createSupplier, getSupplier, listSuppliers, updateSupplier, type Supplier } from './suppliers';
import { FormReader } from './forms';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { storeToday } from '../settings/service';

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

const supplierKeys = ['name', 'contact_name', 'email', 'phone', 'account_number', 'notes', 'legacy_id'] as const;

/** Categories (a tree) and suppliers. */
export function catalogRoutes(deps: AppDeps) {
  const categoriesPage = async (ctx: any, values: Values = {}, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'inventory/categories', title: 'Categories', status, data: { tree: await listCategoryTree(deps.db), values, errors } });

  const categoryPage = async (ctx: any, id: string, values?: Values, errors: Errors = {}, status = 200) => {
    const category = await getCategory(deps.db, id);
    const tree = await listCategoryTree(deps.db);
    // A category can't move under itself or its own descendants, so those are left out of the parent choices.
    const self = tree.find((c) => c.id === category.id)!;
    const parents = tree.filter((c) => c.id !== self.id && !c.path.startsWith(self.path + ' › '));
    return renderPage(deps, ctx, { template: 'inventory/category', title: category.name, status, data: { category, parents, values: values ?? { name: category.name, parent_id: category.parentId ?? '' }, errors } });
  };

  const supplierFormPage = async (ctx: any, supplier: Supplier | null, values: Values, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'inventory/supplier_form', title: supplier ? supplier.name : 'New supplier', status, data: { supplier, values, errors } });

  const readSupplier = (body: unknown) => {
    const r = new FormReader(formBody(body));
    const values: Values = Object.fromEntries(supplierKeys.map((k) => [k, r.text(k)]));
    return { values, input: { ...values } };
  };

  const supplierStatus = (ctx: any) => (['active', 'inactive', 'all'].includes(ctx.query.status) ? (ctx.query.status as 'active') : ('active' as const));

  return new Elysia({ name: 'feature.inventory.catalog' })
    .use(authPlugin(deps))
    .get('/inventory/categories', (ctx) => categoriesPage(ctx), { permission: 'inventory.view' })
    .post(
      '/inventory/categories',
      async (ctx) => {
        const r = new FormReader(formBody(ctx.body));
        const values = { name: r.text('name'), parent_id: r.text('parent_id') };
        const parsed = categorySchema.safeParse({ name: values.name, parent_id: r.optionalId('parent_id') });
        if (!parsed.success) return categoriesPage(ctx, values, zodFieldErrors(parsed.error), 422);
        try {
          const category = await deps.db.transaction((tx) => createCategory(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Category “${category.name}” created.` });
          return redirect(ctx, '/inventory/categories');
        } catch (err) {
          if (err instanceof ServiceError) return categoriesPage(ctx, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .get('/inventory/categories/:id', (ctx) => categoryPage(ctx, ctx.params.id), { permission: 'inventory.view' })
    .post(
      '/inventory/categories/:id',
      async (ctx) => {
        const category = await getCategory(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values = { name: r.text('name'), parent_id: r.text('parent_id') };
        const parsed = updateCategorySchema.safeParse({ name: values.name, parent_id: r.optionalId('parent_id') });
        if (!parsed.success) return categoryPage(ctx, category.id, values, zodFieldErrors(parsed.error), 422);
        try {
          await deps.db.transaction((tx) => updateCategory(tx, actorOf(ctx), category.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Category “${parsed.data.name}” saved.` });
          return redirect(ctx, '/inventory/categories');
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return categoryPage(ctx, category.id, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .get(
      '/inventory/suppliers',
      async (ctx) => {
        const query = parseListQuery(ctx.query, { sorts: SUPPLIER_SORTS, defaultSort: 'name' });
        const status = supplierStatus(ctx);
        const { rows, total } = await listSuppliers(deps.db, query, status);
        const list = buildListModel('/inventory/suppliers', query, rows, total, status !== 'active' ? { status } : {}, { csv: true });
        return renderPage(deps, ctx, { template: 'inventory/suppliers', fragment: 'inventory/_suppliers_list', title: 'Suppliers', data: { list, status } });
      },
      { permission: 'inventory.view' },
    )
    .get(
      '/inventory/suppliers/export.csv',
      async (ctx) => {
        // Same search, status filter and sort as the list on screen, every row (capped).
        const query = { ...parseListQuery(ctx.query, { sorts: SUPPLIER_SORTS, defaultSort: 'name' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { rows } = await listSuppliers(deps.db, query, supplierStatus(ctx));
        Object.assign(ctx.set.headers, csvDownloadHeaders('suppliers', await storeToday(deps.db, deps.clock)));
        return toCsv<Supplier>(
          [
            { header: 'name', value: (r) => r.name },
            { header: 'contact_name', value: (r) => r.contactName },
            { header: 'email', value: (r) => r.email },
            { header: 'phone', value: (r) => r.phone },
            { header: 'account_number', value: (r) => r.accountNumber },
            { header: 'notes', value: (r) => r.notes },
            { header: 'active', value: (r) => r.isActive },
            { header: 'legacy_id', value: (r) => r.legacyId },
            { header: 'created_at', value: (r) => r.createdAt },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/suppliers/new', (ctx) => supplierFormPage(ctx, null, {}), { permission: 'inventory.manage' })
    .post(
      '/inventory/suppliers',
      async (ctx) => {
        const { values, input } = readSupplier(ctx.body);
        const parsed = createSupplierSchema.safeParse(input);
        if (!parsed.success) return supplierFormPage(ctx, null, values, zodFieldErrors(parsed.error), 422);
        try {
          const supplier = await deps.db.transaction((tx) => createSupplier(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Supplier “${supplier.name}” created.` });
          return redirect(ctx, `/inventory/suppliers/${supplier.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return supplierFormPage(ctx, null, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .get(
      '/inventory/suppliers/:id',
      async (ctx) => {
        const s = await getSupplier(deps.db, ctx.params.id);
        return supplierFormPage(ctx, s, { name: s.name, contact_name: s.contactName, email: s.email ?? '', phone: s.phone ?? '', account_number: s.accountNumber, notes: s.notes, legacy_id: s.legacyId ?? '' });
      },
      { permission: 'inventory.view' },
    )
    .post(
      '/inventory/suppliers/:id',
      async (ctx) => {
        const supplier = await getSupplier(deps.db, ctx.params.id);
        const { values, input } = readSupplier(ctx.body);
        const parsed = updateSupplierSchema.safeParse(input);
        if (!parsed.success) return supplierFormPage(ctx, supplier, values, zodFieldErrors(parsed.error), 422);
        try {
          await deps.db.transaction((tx) => updateSupplier(tx, actorOf(ctx), supplier.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: 'Supplier saved.' });
          return redirect(ctx, `/inventory/suppliers/${supplier.id}`);
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return supplierFormPage(ctx, supplier, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/inventory/suppliers/:id/active',
      async (ctx) => {
        const supplier = await getSupplier(deps.db, ctx.params.id);
        const active = new FormReader(formBody(ctx.body)).text('active') === 'true';
        await deps.db.transaction((tx) => updateSupplier(tx, actorOf(ctx), supplier.id, { is_active: active }));
        setFlash(deps, ctx, { kind: 'success', message: active ? `${supplier.name} is active again.` : `${supplier.name} is deactivated; it is no longer offered for new products and orders.` });
        return redirect(ctx, `/inventory/suppliers/${supplier.id}`);
      },
      { permission: 'inventory.manage' },
    );
}
