import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { apiActor, handle, iso } from '../api/support';
import { parseOr422 } from './api';
import { cancelCount, getCount, listCounts, postCount, recordCountEntries, startCount, type CountLineView, type CountStatus, type CountView } from './counts-service';
import { COUNT_SORTS, COUNT_STATUSES, countEntriesSchema, startCountSchema } from './schemas';

/**
 * Cycle counts over the API, with the HTML's rules (counts-routes.ts): starting, scanning and correcting
 * need inventory.view (clerk work); posting and cancelling need inventory.manage.
 */
const countLineOut = z.object({
  id: z.uuid(),
  product_id: z.uuid(),
  sku: z.string(),
  product_name: z.string(),
  unit_id: z.uuid().nullable(),
  serial_number: z.string().nullable(),
  expected_quantity: z.number().int(),
  counted_quantity: z.number().int().nullable().describe('null = not counted yet (posting treats it as 0)'),
  variance: z.number().int(),
  variance_value_cents: z.number().int().describe('variance × current average cost; 0 for units'),
});
const countOut = z.object({
  id: z.uuid(),
  number: z.string(),
  name: z.string(),
  category_id: z.uuid().nullable(),
  category_name: z.string().nullable(),
  location: z.string(),
  status: z.enum(COUNT_STATUSES),
  created_at: z.string(),
  posted_at: z.string().nullable(),
  total_variance_value_cents: z.number().int(),
  stock_lines: z.array(countLineOut),
  unit_lines: z.array(countLineOut),
});
const countSummaryOut = z.object({
  id: z.uuid(),
  number: z.string(),
  name: z.string(),
  category_name: z.string().nullable(),
  location: z.string(),
  status: z.enum(COUNT_STATUSES),
  line_count: z.number().int(),
  created_at: z.string(),
  posted_at: z.string().nullable(),
});
const entriesOut = countOut.extend({ messages: z.array(z.string()).describe('What each entry did, in order ("STR-10: 7 counted.")') });

const lineJson = (l: CountLineView): z.infer<typeof countLineOut> => ({
  id: l.id, product_id: l.productId, sku: l.sku, product_name: l.productName, unit_id: l.unitId, serial_number: l.serialNumber,
  expected_quantity: l.expected, counted_quantity: l.counted, variance: l.variance, variance_value_cents: l.varianceValueCents,
});
const countJson = (c: CountView): z.infer<typeof countOut> => ({
  id: c.id, number: c.number, name: c.name, category_id: c.categoryId, category_name: c.categoryName, location: c.location, status: c.status,
  created_at: iso(c.createdAt)!, posted_at: iso(c.postedAt), total_variance_value_cents: c.totalVarianceValueCents,
  stock_lines: c.stockLines.map(lineJson), unit_lines: c.unitLines.map(lineJson),
});

documentApi({ method: 'get', path: '/api/v1/cycle-counts', summary: 'List cycle counts (sort number|name|status|created_at; filter status)', tag: 'purchasing', permission: 'inventory.view', query: listQuerySchema.extend({ status: z.enum(COUNT_STATUSES).optional(), sort: z.enum(COUNT_SORTS).optional() }), response: countSummaryOut, list: true });
documentApi({ method: 'post', path: '/api/v1/cycle-counts', summary: 'Start a cycle count (number CC-000001 …) of a category (with sub-categories) and/or a location; snapshots what should be on the shelf', tag: 'purchasing', permission: 'inventory.view', body: startCountSchema, response: countOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/cycle-counts/:id', summary: 'One cycle count with its stock and unit lines, expected vs counted', tag: 'purchasing', permission: 'inventory.view', response: countOut });
documentApi({
  method: 'post',
  path: '/api/v1/cycle-counts/:id/counts',
  summary: 'Record counting on an open count: scans[] {code (SKU, UPC or serial), quantity? (default 1, added)} and/or lines[] {line_id, counted_quantity (set)}; applied in order, all or nothing',
  tag: 'purchasing',
  permission: 'inventory.view',
  body: countEntriesSchema,
  response: entriesOut,
});
documentApi({ method: 'post', path: '/api/v1/cycle-counts/:id/post', summary: 'Post an open count: each stock variance becomes a count movement in the stock ledger; units not found are listed, not changed', tag: 'purchasing', permission: 'inventory.manage', response: countOut });
documentApi({ method: 'post', path: '/api/v1/cycle-counts/:id/cancel', summary: 'Cancel an open count; nothing is adjusted', tag: 'purchasing', permission: 'inventory.manage', response: countOut });

export function countsApiRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.purchasing.counts.api' })
    .use(authPlugin(deps))
    .get('/api/v1/cycle-counts', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: COUNT_SORTS, defaultSort: 'number', defaultOrder: 'desc' }, 'strict');
        const status = (ctx.query as Record<string, unknown>).status;
        if (status !== undefined && !(COUNT_STATUSES as readonly unknown[]).includes(status)) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', { status: `status must be one of: ${COUNT_STATUSES.join(', ')}.` });
        const { rows, total } = await listCounts(deps.db, query, { status: status as CountStatus | undefined });
        const data = rows.map((r) => ({ id: r.id, number: r.number, name: r.name, category_name: r.categoryName, location: r.location, status: r.status as CountStatus, line_count: r.lineCount, created_at: iso(r.createdAt)!, posted_at: iso(r.postedAt) }));
        return json(ctx, 200, { data, pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' })
    .post('/api/v1/cycle-counts', (ctx) =>
      handle(ctx, async () => {
        const input = parseOr422(ctx, startCountSchema);
        return json(ctx, 201, countJson(await deps.db.transaction((tx) => startCount(tx, apiActor(ctx), input))));
      }), { api: 'inventory.view' })
    .get('/api/v1/cycle-counts/:id', (ctx) => handle(ctx, async () => json(ctx, 200, countJson(await getCount(deps.db, ctx.params.id)))), { api: 'inventory.view' })
    .post('/api/v1/cycle-counts/:id/counts', (ctx) =>
      handle(ctx, async () => {
        const count = await getCount(deps.db, ctx.params.id);
        const input = parseOr422(ctx, countEntriesSchema);
        const { messages } = await deps.db.transaction((tx) => recordCountEntries(tx, apiActor(ctx), count.id, input));
        return json(ctx, 200, { ...countJson(await getCount(deps.db, count.id)), messages });
      }), { api: 'inventory.view' })
    .post('/api/v1/cycle-counts/:id/post', (ctx) =>
      handle(ctx, async () => {
        const count = await getCount(deps.db, ctx.params.id);
        return json(ctx, 200, countJson(await deps.db.transaction((tx) => postCount(tx, apiActor(ctx), count.id, deps.clock.now()))));
      }), { api: 'inventory.manage' })
    .post('/api/v1/cycle-counts/:id/cancel', (ctx) =>
      handle(ctx, async () => {
        const count = await getCount(deps.db, ctx.params.id);
        await deps.db.transaction((tx) => cancelCount(tx, apiActor(ctx), count.id));
        return json(ctx, 200, countJson(await getCount(deps.db, count.id)));
      }), { api: 'inventory.manage' });
}
