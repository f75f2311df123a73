import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { importRuns } from '../../db/schema';
import type { Actor } from '../audit/service';
import { CsvFormatError, parseCsv } from '../csv/read';
import { runImport, type ImportReport } from '../csv/import-runner';
import { NotFoundError, ValidationError, ConflictError } from '../service-errors';
import { IMPORTERS, type ImportKind } from './registry';
import { isUuid } from '../../db/sql-helpers';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export function importerFor(kind: string) {
  const importer = IMPORTERS[kind as ImportKind];
  if (!importer) throw new ValidationError({ kind: `Choose what the file contains (${Object.keys(IMPORTERS).join(', ')}).` });
  return importer;
}

function parseOrReport(kind: string, bytes: Uint8Array) {
  try {
    return { csv: parseCsv(bytes), formatError: null };
  } catch (err) {
    if (err instanceof CsvFormatError) return { csv: null, formatError: err.message };
    throw err;
  }
}

const formatErrorReport = (kind: string, message: string): ImportReport => ({
  kind,
  committed: false,
  rows: 0,
  toCreate: 0,
  toUpdate: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  errors: [{ row: 1, column: '', reason: message }],
  unknownColumns: [],
  missingColumns: [],
});

/** Dry run: nothing is written except the run record holding the file and its report. */
export async function checkImport(db: Db, actor: Actor, kind: string, filename: string, bytes: Uint8Array) {
  const importer = importerFor(kind);
  if (bytes.byteLength === 0) throw new ValidationError({ file: 'Choose a CSV file to upload.' });
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ValidationError({ file: 'The file is larger than 20 MB; split it into smaller files.' });
  const { csv, formatError } = parseOrReport(kind, bytes);
  const report = csv ? await runImport(db, importer, csv, { commit: false, actor }) : formatErrorReport(kind, formatError!);
  const [run] = await db
    .insert(importRuns)
    .values({ kind, filename: filename.slice(0, 200) || 'upload.csv', content: Buffer.from(bytes), report, createdByUserId: actor.userId, createdByLabel: actor.label })
    .returning({ id: importRuns.id });
  return { id: run.id, report };
}

/** Commit of a checked file: validated again (the data may have changed since), then all rows or none. */
export async function commitImport(db: Db, actor: Actor, runId: string) {
  const run = await getImportRun(db, runId);
  if (run.status === 'committed') throw new ConflictError('This file was already imported.');
  const importer = importerFor(run.kind);
  const { csv, formatError } = parseOrReport(run.kind, new Uint8Array(run.content));
  const report = csv ? await runImport(db, importer, csv, { commit: true, actor }) : formatErrorReport(run.kind, formatError!);
  await db
    .update(importRuns)
    .set({ report, status: report.committed ? 'committed' : 'checked', committedAt: report.committed ? new Date() : null })
    .where(eq(importRuns.id, runId));
  return report;
}

export async function getImportRun(db: Db, runId: string) {
  if (!isUuid(runId)) throw new NotFoundError('Import');
  const [run] = await db.select().from(importRuns).where(eq(importRuns.id, runId));
  if (!run) throw new NotFoundError('Import');
  return run;
}

export async function recentImportRuns(db: Db, limit = 20) {
  return db
    .select({ id: importRuns.id, kind: importRuns.kind, filename: importRuns.filename, status: importRuns.status, report: importRuns.report, createdByLabel: importRuns.createdByLabel, createdAt: importRuns.createdAt, committedAt: importRuns.committedAt })
    .from(importRuns)
    .orderBy(desc(importRuns.createdAt))
    .limit(limit);
}
