import type { AppDeps } from '../../server/deps';
import { migrationStatus } from '../../db/migrate';
import { isSetupComplete } from '../settings/service';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  database: { ok: boolean; error?: string };
  schema: { current: string | null; expected: string; pending: number };
  setup_complete: boolean;
  /** Filled in when backups land (ops issue); null = no backup yet. */
  last_backup_age_hours: number | null;
  last_billing_run: string | null;
  license: { state: 'core_only' };
}

/** The facts /healthz and /api/v1/health report (appliance.md). Never throws: a down database is a fact. */
export async function healthReport(deps: Pick<AppDeps, 'sql' | 'db' | 'version' | 'migrations'>): Promise<HealthReport> {
  const expected = deps.migrations.at(-1)?.tag ?? 'none';
  try {
    await deps.sql`select 1`;
    const status = await migrationStatus(deps.sql, deps.migrations);
    const current = status.applied.at(-1)?.tag ?? null;
    return {
      status: status.pending.length === 0 && status.unknown.length === 0 ? 'ok' : 'degraded',
      version: deps.version.version,
      database: { ok: true },
      schema: { current, expected, pending: status.pending.length },
      setup_complete: await isSetupComplete(deps.db),
      last_backup_age_hours: null,
      last_billing_run: null,
      license: { state: 'core_only' },
    };
  } catch (err) {
    return {
      status: 'degraded',
      version: deps.version.version,
      database: { ok: false, error: (err as Error).message },
      schema: { current: null, expected, pending: 0 },
      setup_complete: false,
      last_backup_age_hours: null,
      last_billing_run: null,
      license: { state: 'core_only' },
    };
  }
}
