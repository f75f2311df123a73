import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError, type ParsedArgs } from './args';
import { withRuntime } from './context';
import { checkImport, commitImport } from '../features/imports/service';
import { IMPORTERS } from '../features/imports/registry';
import { cliActor } from '../features/audit/service';
import type { ImportReport } from '../features/csv/import-runner';

function printReport(report: ImportReport) {
  console.log(`${report.kind}: ${report.rows} rows — ${report.committed ? `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged` : `would create ${report.toCreate}, update ${report.toUpdate}`}`);
  if (report.unknownColumns.length) console.log(`unknown columns (not imported): ${report.unknownColumns.join(', ')}`);
  for (const e of report.errors) console.log(`row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.reason}`);
}

/** `forte import KIND FILE [--commit]`: dry run by default; --commit imports the whole file or nothing. */
export async function importCommand(args: ParsedArgs): Promise<number> {
  const [, kind, file] = args.positionals;
  const kinds = Object.keys(IMPORTERS).join('|');
  if (!kind || !file) throw new UsageError(`usage: forte import ${kinds} FILE.csv [--commit]`);
  if (!IMPORTERS[kind]) throw new UsageError(`Unknown import "${kind}". Choose one of: ${kinds}`);
  if (!existsSync(file)) throw new UsageError(`No such file: ${file}`);
  const bytes = new Uint8Array(readFileSync(file));
  return withRuntime(args, true, async ({ deps }) => {
    const actor = cliActor('import');
    const checked = await checkImport(deps.db, actor, kind, basename(file), bytes);
    if (args.options.commit !== true || checked.report.errors.length) {
      printReport(checked.report);
      if (!checked.report.errors.length) console.log('Dry run only: nothing was written. Run again with --commit to import.');
      return checked.report.errors.length ? 1 : 0;
    }
    const report = await commitImport(deps.db, actor, checked.id);
    printReport(report);
    return report.committed ? 0 : 1;
  });
}
