import type { Db, Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { recordAudit } from '../audit/service';
import type { ParsedCsv } from './read';

export interface RowError {
  /** 1-based data row number as a spreadsheet shows it (the header is row 1, so data starts at 2). */
  row: number;
  column: string;
  reason: string;
}

export interface ColumnSpec {
  name: string;
  required?: boolean;
  description: string;
}

export type RowOutcome<T> = { ok: true; value: T; legacyId: string | null } | { ok: false; errors: { column: string; reason: string }[] };

/** One kind of import (accounts, products, units, stock). Validation never writes; `apply` writes one row. */
export interface Importer<T> {
  kind: string;
  label: string;
  columns: ColumnSpec[];
  /** Checks one row; may read the database (e.g. find the product of a unit) but must not write. */
  validate(db: Db | Tx, row: Record<string, string>): Promise<RowOutcome<T>>;
  /** Whether a row with this legacy id already exists (re-running updates instead of duplicating). */
  exists(db: Db | Tx, legacyId: string): Promise<boolean>;
  apply(tx: Tx, actor: Actor, value: T, legacyId: string | null): Promise<'created' | 'updated' | 'unchanged'>;
  /** Other values that must be unique within one file (e.g. product + serial), checked after validation. */
  uniqueKeys?(value: T): { column: string; key: string; label: string }[];
}

export interface ImportReport {
  kind: string;
  committed: boolean;
  rows: number;
  toCreate: number;
  toUpdate: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
  unknownColumns: string[];
  missingColumns: string[];
}

/**
 * Dry run: validate every row and report what would happen. Commit: the same validation, then — only if
 * no row has an error — apply all rows in ONE transaction, so a file is imported whole or not at all.
 * Duplicate legacy ids inside one file are errors (which row would win is ambiguous).
 */
export async function runImport<T>(db: Db, importer: Importer<T>, csv: ParsedCsv, opts: { commit: boolean; actor: Actor }): Promise<ImportReport> {
  const known = new Set(importer.columns.map((c) => c.name));
  const report: ImportReport = {
    kind: importer.kind,
    committed: false,
    rows: csv.rows.length,
    toCreate: 0,
    toUpdate: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    unknownColumns: csv.headers.filter((h) => !known.has(h)),
    missingColumns: importer.columns.filter((c) => c.required && !csv.headers.includes(c.name)).map((c) => c.name),
  };
  if (report.missingColumns.length) {
    for (const column of report.missingColumns) report.errors.push({ row: 1, column, reason: 'Required column is missing from the header row.' });
    return report;
  }
  const valid: { value: T; legacyId: string | null }[] = [];
  const legacySeen = new Map<string, number>();
  for (let i = 0; i < csv.rows.length; i++) {
    const rowNumber = i + 2;
    // Repeated legacy ids are caught on the raw cell, so a repeat of a row that has other errors is reported too.
    const rawLegacy = (csv.rows[i].legacy_id ?? '').trim();
    const first = rawLegacy ? legacySeen.get(rawLegacy) : undefined;
    if (rawLegacy && !first) legacySeen.set(rawLegacy, rowNumber);
    const outcome = await importer.validate(db, csv.rows[i]);
    if (first) report.errors.push({ row: rowNumber, column: 'legacy_id', reason: `Same legacy id as row ${first}.` });
    if (!outcome.ok) {
      for (const e of outcome.errors) report.errors.push({ row: rowNumber, ...e });
      continue;
    }
    if (first) continue;
    // Keys an importer derives itself (e.g. the SKU of a stock row) must not repeat either.
    if (outcome.legacyId && outcome.legacyId !== rawLegacy) {
      const firstKey = legacySeen.get(outcome.legacyId);
      if (firstKey) {
        report.errors.push({ row: rowNumber, column: outcome.legacyId.startsWith('sku:') ? 'sku' : 'legacy_id', reason: `Same ${outcome.legacyId.startsWith('sku:') ? 'SKU' : 'legacy id'} as row ${firstKey}.` });
        continue;
      }
      legacySeen.set(outcome.legacyId, rowNumber);
    }
    const repeated = (importer.uniqueKeys?.(outcome.value) ?? []).find((k) => legacySeen.has(`key:${k.key}`));
    if (repeated) {
      report.errors.push({ row: rowNumber, column: repeated.column, reason: `Same ${repeated.label} as row ${legacySeen.get(`key:${repeated.key}`)}.` });
      continue;
    }
    for (const k of importer.uniqueKeys?.(outcome.value) ?? []) legacySeen.set(`key:${k.key}`, rowNumber);
    if (outcome.legacyId) {
      if (await importer.exists(db, outcome.legacyId)) report.toUpdate++;
      else report.toCreate++;
    } else report.toCreate++;
    valid.push(outcome);
  }
  if (!opts.commit || report.errors.length > 0) return report;
  await db.transaction(async (tx) => {
    for (const row of valid) {
      const result = await importer.apply(tx, opts.actor, row.value, row.legacyId);
      report[result]++;
    }
    await recordAudit(tx, opts.actor, {
      action: 'import.commit',
      entityType: 'import',
      entityId: importer.kind,
      summary: `Imported ${importer.label}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`,
      after: { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged },
    });
  });
  report.committed = true;
  return report;
}
