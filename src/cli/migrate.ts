import type { ParsedArgs } from './args';
import { withRuntime } from './context';
import { migrationStatus } from '../db/migrate';

/** `forte migrate [--status]`. Opening the runtime with migrate=true applies pending migrations. */
export async function migrateCommand(args: ParsedArgs): Promise<number> {
  const statusOnly = args.options.status === true;
  return withRuntime(args, !statusOnly, async ({ deps, migrations }) => {
    const status = await migrationStatus(deps.sql, migrations);
    for (const m of status.applied) console.log(`applied  ${m.tag}  ${m.appliedAt.toISOString()}`);
    for (const tag of status.pending) console.log(`pending  ${tag}`);
    for (const tag of status.unknown) console.log(`UNKNOWN  ${tag} (from a newer Forte)`);
    if (!statusOnly) console.log(status.pending.length ? 'Some migrations are still pending.' : 'Database schema is up to date.');
    return 0;
  });
}
