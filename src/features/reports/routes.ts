import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { htmlError, renderPage } from '../../server/respond';
import { csvDownloadHeaders } from '../csv/write';
import { getStoreSettings, storeToday } from '../settings/service';
import { NotFoundError } from '../service-errors';
import { addDays, isValidBusinessDate } from '../../domain/business-date';
import { getAccount } from '../customers/account-service';
import { AGING_BUCKETS, accountStatement } from '../customers/ar';
import { CHARGE_TERMS_DAYS } from '../sales/invoices';
import { findReport, REPORTS, type ReportDefinition } from './registry';
import { rangePresets, readReportParams } from './params';
import { periodSlug, reportCsv, reportView } from './render';
import { reportsApi } from './api';

/** Days a statement covers when no period is asked for (a month, give or take). */
export const STATEMENT_DEFAULT_DAYS = 30;

/**
 * Report pages (accounting-reports.md "Reports: on screen, CSV, print; filters by date range"): the index, one
 * page per report with its filters, a CSV download of exactly what the page shows, and the account statement
 * (a letter to print). The JSON API (./api.ts) is mounted here too.
 */
export function reportsRoutes(deps: AppDeps) {
  const today = () => storeToday(deps.db, deps.clock);
  const load = (name: string): ReportDefinition => {
    const def = findReport(name);
    if (!def) throw new NotFoundError('Report');
    return def;
  };

  return new Elysia({ name: 'feature.reports' })
    .use(authPlugin(deps))
    .use(reportsApi(deps))
    .get(
      '/reports',
      (ctx) => {
        const groups = ['Sales', 'Cash', 'Balances'].map((g) => ({ title: g, reports: REPORTS.filter((r) => r.group === g) }));
        return renderPage(deps, ctx, { template: 'reports/index', title: 'Reports', data: { groups } });
      },
      { permission: 'reports.view' },
    )
    .get(
      '/reports/:name',
      async (ctx) => {
        const def = load(ctx.params.name);
        const day = await today();
        const { period, errors, values } = readReportParams(ctx.query, def.period, day);
        const result = period ? await def.run(deps.db, period, day) : null;
        const timeZone = (await getStoreSettings(deps.db))?.timeZone ?? 'UTC';
        const query = result ? new URLSearchParams(result.period.kind === 'range' ? { from: result.period.from, to: result.period.to } : { as_of: result.period.asOf }).toString() : '';
        return renderPage(deps, ctx, {
          template: 'reports/report',
          title: def.title,
          status: result ? 200 : 400,
          data: { def, result, view: result ? reportView(result, timeZone, (p) => !!(ctx as any).user?.permissions?.has(p)) : null, values, errors, today: day, printedAt: deps.clock.now(), query, presets: def.period === 'range' ? rangePresets(day) : [] },
        });
      },
      { permission: 'reports.view' },
    )
    .get(
      '/reports/:name/export.csv',
      async (ctx) => {
        const def = load(ctx.params.name);
        const day = await today();
        const { period, errors } = readReportParams(ctx.query, def.period, day);
        if (!period) return htmlError(deps, ctx, 400, 'Cannot export', Object.values(errors).join(' '));
        const result = await def.run(deps.db, period, day);
        Object.assign(ctx.set.headers, csvDownloadHeaders(def.name, periodSlug(result)));
        return reportCsv(result);
      },
      { permission: 'reports.view' },
    )
    .get(
      '/customers/:id/statement',
      async (ctx) => {
        const account = await getAccount(deps.db, ctx.params.id);
        const day = await today();
        const raw: Record<string, unknown> = { ...ctx.query };
        if (!raw.from) raw.from = addDays(typeof raw.to === 'string' && isValidBusinessDate(raw.to.trim()) ? raw.to.trim() : day, -(STATEMENT_DEFAULT_DAYS - 1));
        const { period, errors, values } = readReportParams(raw, 'range', day);
        const statement = period && period.kind === 'range' ? await accountStatement(deps.db, account.id, period, day) : null;
        const store = await getStoreSettings(deps.db);
        return renderPage(deps, ctx, {
          template: 'customers/statement',
          title: `Statement — ${account.name}`,
          status: statement ? 200 : 400,
          data: { account, statement, values, errors, today: day, printedAt: deps.clock.now(), termsDays: CHARGE_TERMS_DAYS, buckets: AGING_BUCKETS, store: { name: store?.storeName ?? '', address: store?.address ?? '', phone: store?.phone ?? '' } },
        });
      },
      { permission: 'customers.view' },
    );
}
