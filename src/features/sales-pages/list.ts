import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { accounts, registers, sales } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { containsPattern } from '../../db/sql-helpers';
import { isValidBusinessDate } from '../../domain/business-date';
import { centsToDecimalString } from '../../domain/money';
import type { ListQuery } from '../../ui/list';
import { toCsv } from '../csv/write';
import { tenderLabel } from './documents';

/**
 * The counter-documents list (/sales): sales, returns and payments, newest first, filtered by business date,
 * kind, status and a search over the number, the customer (name or account number) and the cashier.
 */

export const DOCUMENT_SORTS = ['created', 'number', 'total'] as const;
export const DOCUMENT_KINDS = ['sale', 'return', 'payment'] as const;
export const DOCUMENT_STATUSES = ['completed', 'voided'] as const;

export interface DocumentFilter {
  from: string | null;
  to: string | null;
  kind: string | null;
  status: string | null;
}

export interface DocumentRow {
  id: string;
  number: string;
  kind: string;
  status: string;
  businessDate: string;
  createdAt: Date;
  accountId: string | null;
  accountName: string | null;
  accountNumber: string | null;
  cashierLabel: string;
  registerName: string | null;
  grossCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  originalNumber: string | null;
  voidReason: string | null;
  /** Tender methods in order, e.g. ['cash'] or ['gift_card', 'cash']. */
  tenderMethods: string[];
}

/** A typed or scanned document number (S-000123, r-1 is not one: numbers have six digits or more). */
export const DOCUMENT_NUMBER_RE = /^[SRP]-\d{6,}$/;

/** Reads the list filters from a query string; bad values come back as field errors (the page shows them). */
export function readDocumentFilter(raw: Record<string, unknown>): { filter: DocumentFilter; errors: Record<string, string>; values: Record<string, string> } {
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const values = { from: str('from'), to: str('to'), kind: str('kind'), status: str('status') };
  const errors: Record<string, string> = {};
  if (values.from && !isValidBusinessDate(values.from)) errors.from = 'From must be a date as YYYY-MM-DD.';
  if (values.to && !isValidBusinessDate(values.to)) errors.to = 'To must be a date as YYYY-MM-DD.';
  if (!errors.from && !errors.to && values.from && values.to && values.from > values.to) errors.to = 'To must be on or after From.';
  if (values.kind && !(DOCUMENT_KINDS as readonly string[]).includes(values.kind)) errors.kind = 'Kind must be sale, return or payment.';
  if (values.status && !(DOCUMENT_STATUSES as readonly string[]).includes(values.status)) errors.status = 'Status must be completed or voided.';
  return {
    filter: { from: errors.from ? null : values.from || null, to: errors.to ? null : values.to || null, kind: errors.kind ? null : values.kind || null, status: errors.status ? null : values.status || null },
    errors,
    values,
  };
}

const original = alias(sales, 'original_sale');

export async function listDocuments(db: DbOrTx, filter: DocumentFilter, query: ListQuery, limit = query.limit, offset = (query.page - 1) * query.limit): Promise<{ rows: DocumentRow[]; total: number }> {
  const conds: SQL[] = [];
  if (filter.from) conds.push(sql`${sales.businessDate} >= ${filter.from}::date`);
  if (filter.to) conds.push(sql`${sales.businessDate} <= ${filter.to}::date`);
  if (filter.kind) conds.push(eq(sales.kind, filter.kind));
  if (filter.status) conds.push(eq(sales.status, filter.status));
  if (query.q) {
    const p = containsPattern(query.q);
    conds.push(sql`(lower(${sales.number}) like ${p} or lower(coalesce(${accounts.name}, '')) like ${p} or coalesce(${accounts.number}, '') like ${p} or lower(${sales.cashierLabel}) like ${p})`);
  }
  const where = conds.length ? and(...conds) : undefined;
  const dir = query.order === 'asc' ? asc : desc;
  const order = {
    created: [dir(sales.createdAt), dir(sales.number)],
    number: [dir(sales.number)],
    total: [dir(sales.totalCents), desc(sales.createdAt)],
  }[query.sort as (typeof DOCUMENT_SORTS)[number]] ?? [desc(sales.createdAt)];
  const rows = await db
    .select({
      id: sales.id,
      number: sales.number,
      kind: sales.kind,
      status: sales.status,
      businessDate: sales.businessDate,
      createdAt: sales.createdAt,
      accountId: sales.accountId,
      accountName: accounts.name,
      accountNumber: accounts.number,
      cashierLabel: sales.cashierLabel,
      registerName: registers.name,
      grossCents: sales.grossCents,
      discountCents: sales.discountCents,
      taxCents: sales.taxCents,
      totalCents: sales.totalCents,
      originalNumber: original.number,
      voidReason: sales.voidReason,
      tenders: sql<string | null>`(select string_agg(t.method, ',' order by t.seq) from sale_tenders t where t.sale_id = ${sales.id})`,
    })
    .from(sales)
    .leftJoin(accounts, eq(accounts.id, sales.accountId))
    .leftJoin(registers, eq(registers.id, sales.registerId))
    .leftJoin(original, eq(original.id, sales.originalSaleId))
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(sales).leftJoin(accounts, eq(accounts.id, sales.accountId)).where(where);
  return { rows: rows.map(({ tenders, ...r }) => ({ ...r, tenderMethods: tenders ? tenders.split(',') : [] })), total: n };
}

/** CSV of the list (csv.md: formula-safe text, decimal amounts, ISO times in the store's zone). */
export function documentsCsv(rows: DocumentRow[], timeZone: string): string {
  const money = (c: number) => centsToDecimalString(c);
  const at = (d: Date) => d.toLocaleString('sv-SE', { timeZone }).replace(' ', 'T');
  return toCsv<DocumentRow>(
    [
      { header: 'number', value: (r) => r.number },
      { header: 'kind', value: (r) => r.kind },
      { header: 'status', value: (r) => r.status },
      { header: 'business_date', value: (r) => r.businessDate },
      { header: 'created_at', value: (r) => at(r.createdAt) },
      { header: 'customer', value: (r) => r.accountName ?? '' },
      { header: 'account_number', value: (r) => r.accountNumber ?? '' },
      { header: 'cashier', value: (r) => r.cashierLabel },
      { header: 'register', value: (r) => r.registerName ?? '' },
      { header: 'subtotal', value: (r) => money(r.grossCents) },
      { header: 'discount', value: (r) => money(r.discountCents) },
      { header: 'tax', value: (r) => money(r.taxCents) },
      { header: 'total', value: (r) => money(r.totalCents) },
      { header: 'tenders', value: (r) => r.tenderMethods.map((m) => tenderLabel(m, r.totalCents)).join('; ') },
      { header: 'original_sale', value: (r) => r.originalNumber ?? '' },
      { header: 'void_reason', value: (r) => r.voidReason ?? '' },
    ],
    rows,
  );
}
