import type { Sql } from './client';

export interface Migration {
  idx: number;
  tag: string;
  statements: string[];
}

/** Lock id shared by every Forte process so only one migrates at a time (scale-out, CLI beside serve). */
const MIGRATION_LOCK_ID = 7_466_001;

export class SchemaTooNewError extends Error {
  constructor(public readonly unknownTags: string[], public readonly binaryLatest: string) {
    super(
      `The database schema is newer than this Forte binary (database has ${unknownTags.join(', ')}; this binary knows up to ${binaryLatest}). ` +
        `Install the newer Forte version again, or restore a backup made by this version.`,
    );
  }
}

/** Reads drizzle-kit's journal + SQL files (from the embedded assets) into ordered migrations. */
export function loadMigrations(read: (path: string) => string | undefined): Migration[] {
  const journalText = read('migrations/meta/_journal.json');
  if (!journalText) throw new Error('migrations/meta/_journal.json is missing from this build');
  const journal = JSON.parse(journalText) as { entries: { idx: number; tag: string }[] };
  return journal.entries
    .slice()
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => {
      const text = read(`migrations/${entry.tag}.sql`);
      if (text === undefined) throw new Error(`migrations/${entry.tag}.sql is missing from this build`);
      const statements = text
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      return { idx: entry.idx, tag: entry.tag, statements };
    });
}

async function ensureTable(sql: Sql) {
  await sql`create table if not exists forte_migrations (
    idx integer primary key,
    tag text not null unique,
    applied_at timestamptz not null default now()
  )`;
}

export interface MigrationStatus {
  applied: { idx: number; tag: string; appliedAt: Date }[];
  pending: string[];
  unknown: string[];
}

export async function migrationStatus(sql: Sql, migrations: Migration[]): Promise<MigrationStatus> {
  const exists = await sql`select to_regclass('forte_migrations') as t`;
  const rows = exists[0].t
    ? await sql<{ idx: number; tag: string; applied_at: Date }[]>`select idx, tag, applied_at from forte_migrations order by idx`
    : [];
  const known = new Set(migrations.map((m) => m.tag));
  const appliedTags = new Set(rows.map((r) => r.tag));
  return {
    applied: rows.map((r) => ({ idx: r.idx, tag: r.tag, appliedAt: new Date(r.applied_at) })),
    pending: migrations.filter((m) => !appliedTags.has(m.tag)).map((m) => m.tag),
    unknown: rows.filter((r) => !known.has(r.tag)).map((r) => r.tag),
  };
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so that
 * several processes starting together migrate once. Refuses to touch a database that has migrations
 * this binary doesn't know (a newer Forte wrote them): running old code on a new schema loses data.
 */
export async function migrate(sql: Sql, migrations: Migration[], log: (msg: string) => void = () => {}): Promise<string[]> {
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await ensureTable(reserved as unknown as Sql);
      const status = await migrationStatus(reserved as unknown as Sql, migrations);
      if (status.unknown.length > 0) throw new SchemaTooNewError(status.unknown, migrations.at(-1)?.tag ?? 'none');
      const applied: string[] = [];
      for (const m of migrations) {
        if (!status.pending.includes(m.tag)) continue;
        // Reserved connections have no .begin(); the transaction is spelled out so the lock stays on this session.
        await reserved`begin`;
        try {
          for (const statement of m.statements) await reserved.unsafe(statement);
          await reserved`insert into forte_migrations (idx, tag) values (${m.idx}, ${m.tag})`;
          await reserved`commit`;
        } catch (err) {
          await reserved`rollback`;
          throw new Error(`migration ${m.tag} failed: ${(err as Error).message}`);
        }
        log(`applied migration ${m.tag}`);
        applied.push(m.tag);
      }
      return applied;
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } finally {
    reserved.release();
  }
}

/** For start-up without migrating (e.g. `doctor`): throws SchemaTooNewError when the DB is ahead. */
export async function assertSchemaNotNewer(sql: Sql, migrations: Migration[]): Promise<void> {
  const status = await migrationStatus(sql, migrations);
  if (status.unknown.length > 0) throw new SchemaTooNewError(status.unknown, migrations.at(-1)?.tag ?? 'none');
}
