import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi } from '../api/registry';
import { handle } from '../api/support';
import { csvDownloadHeaders } from '../csv/write';
import { storeToday } from '../settings/service';
import { NotFoundError, ServiceError } from '../service-errors';
import { findReport, REPORTS } from './registry';
import { readFormat, readReportParams, MAX_RANGE_DAYS } from './params';
import { periodSlug, reportCsv, reportJson } from './render';

const reportOut = z.object({
  report: z.string(),
  title: z.string(),
  from: z.string().optional().describe('Period reports: first business date'),
  to: z.string().optional().describe('Period reports: last business date'),
  as_of: z.string().optional().describe('Balance reports (ar-aging, gift-card-liability, store-credit-liability): the day'),
  summary: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).describe('Headline figures; *_cents are integer cents'),
  sections: z.record(z.string(), z.object({ rows: z.array(z.record(z.string(), z.unknown())), total: z.record(z.string(), z.unknown()).nullable(), truncated: z.boolean().optional() })).describe('Tables of the report by key (by_category, by_tender, …) with their total row'),
  checks: z.array(z.object({ key: z.string(), label: z.string(), report_cents: z.number().int(), journal_cents: z.number().int(), ok: z.boolean() })).describe('Report total against the journal account balance'),
});

documentApi({
  method: 'get',
  path: '/api/v1/reports/:name',
  summary: `A report as JSON or CSV. name: ${REPORTS.map((r) => r.name).join(', ')}. Period reports take from/to (YYYY-MM-DD, inclusive, default today in the store's time zone, at most ${MAX_RANGE_DAYS} days); balance reports take as_of (or to). format=csv returns the same CSV as the report page's download.`,
  tag: 'reports',
  permission: 'reports.view',
  query: z.object({
    from: z.string().optional().describe('First business date, YYYY-MM-DD'),
    to: z.string().optional().describe('Last business date, YYYY-MM-DD'),
    as_of: z.string().optional().describe('Balance reports: the day, YYYY-MM-DD'),
    format: z.enum(['json', 'csv']).optional().describe('json (default) or csv'),
  }),
  response: reportOut,
});

export function reportsApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.reports.api' })
    .use(authPlugin(deps))
    .get(
      '/api/v1/reports/:name',
      (ctx) =>
        handle(ctx, async () => {
          const def = findReport(ctx.params.name);
          if (!def) throw new NotFoundError('Report');
          const today = await storeToday(deps.db, deps.clock);
          const { period, errors } = readReportParams(ctx.query, def.period, today);
          const { format, error } = readFormat(ctx.query);
          if (error) errors.format = error;
          if (!period || !format || Object.keys(errors).length) throw new ServiceError('validation_failed', 'Invalid report parameters.', 400, errors);
          const result = await def.run(deps.db, period, today);
          if (format === 'csv') {
            ctx.set.status = 200;
            Object.assign(ctx.set.headers, csvDownloadHeaders(def.name, periodSlug(result)));
            return reportCsv(result);
          }
          return json(ctx, 200, reportJson(result));
        }),
      { api: 'reports.view' },
    );
}
