import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { ServiceError } from '../service-errors';
import { actorOf } from '../staff/routes';
import { checkImport, commitImport, getImportRun, recentImportRuns } from './service';
import { IMPORTERS } from './registry';

/** Import page: upload -> dry-run report with per-row errors -> commit (all rows in one transaction). */
export function importRoutes(deps: AppDeps) {
  const kinds = () => Object.entries(IMPORTERS).map(([kind, imp]) => ({ kind, label: imp.label, columns: imp.columns }));
  const uploadPage = async (ctx: any, values: { kind: string } = { kind: '' }, errors: Record<string, string> = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'imports/page', title: 'Import', status, data: { kinds: kinds(), values, errors, runs: await recentImportRuns(deps.db) } });

  return new Elysia({ name: 'feature.imports' })
    .use(authPlugin(deps))
    .get('/import', (ctx) => uploadPage(ctx), { permission: 'data.import' })
    .post(
      '/import',
      async (ctx) => {
        const body = formBody(ctx.body);
        const kind = formString(body, 'kind');
        const file = body.file;
        if (!(file instanceof Blob)) return uploadPage(ctx, { kind }, { file: 'Choose a CSV file to upload.', _: 'Please correct the highlighted fields.' }, 422);
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          const { id } = await checkImport(deps.db, actorOf(ctx), kind, (file as File).name ?? 'upload.csv', bytes);
          return redirect(ctx, `/import/${id}`);
        } catch (err) {
          if (err instanceof ServiceError) return uploadPage(ctx, { kind }, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'data.import' },
    )
    .get(
      '/import/:id',
      async (ctx) => {
        const run = await getImportRun(deps.db, ctx.params.id);
        const importer = IMPORTERS[run.kind];
        return renderPage(deps, ctx, { template: 'imports/run', title: `Import of ${run.filename}`, data: { run, label: importer?.label ?? run.kind } });
      },
      { permission: 'data.import' },
    )
    .post(
      '/import/:id/commit',
      async (ctx) => {
        const run = await getImportRun(deps.db, ctx.params.id);
        try {
          const report = await commitImport(deps.db, actorOf(ctx), run.id);
          setFlash(deps, ctx, report.committed ? { kind: 'success', message: `Imported: ${report.created} created, ${report.updated} updated.` } : { kind: 'error', message: 'Nothing was imported: the file has errors now (see below).' });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          setFlash(deps, ctx, { kind: 'error', message: err.message });
        }
        return redirect(ctx, `/import/${run.id}`);
      },
      { permission: 'data.import' },
    );
}
