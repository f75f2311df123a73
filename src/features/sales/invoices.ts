import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { accounts, invoiceAllocations, invoices } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { formatCents } from '../../domain/money';
import { addDays } from '../../domain/business-date';

/**
 * House accounts (pos.md "Tenders": charge to account creates an open invoice, so AR always equals the sum of
 * open invoices). An invoice's open balance moves only through allocations, in the same transaction as the
 * payment or return that makes them; the journal side (Accounts receivable) is the caller's entry.
 */

export type Invoice = typeof invoices.$inferSelect;

/** Net terms of a charge to account (days until due). */
export const CHARGE_TERMS_DAYS = 30;

export async function openReceivableCents(db: DbOrTx, accountId: string): Promise<number> {
  const [r] = await db.select({ s: sql<string>`coalesce(sum(${invoices.balanceCents}), 0)` }).from(invoices).where(eq(invoices.accountId, accountId));
  return Number(r.s);
}

/**
 * Charges an amount to a house account: the account must allow charges and stay within its credit limit
 * (open invoices + this charge). The account row is locked so two charges can't both squeeze under the limit.
 */
export async function chargeToAccount(tx: Tx, accountId: string, amountCents: number, where: { sourceType: string; sourceId: string; issuedOn: string; memo: string }, field = 'tenders'): Promise<Invoice> {
  const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('update');
  if (!account) throw new NotFoundError('Account');
  if (!account.chargeAllowed) throw new ConflictError(`${account.name} is not set up for charges to account.`, { [field]: 'This account does not allow charges.' });
  const open = await openReceivableCents(tx, accountId);
  if (open + amountCents > account.creditLimitCents) {
    throw new ConflictError(`Charging ${formatCents(amountCents)} would put ${account.name} at ${formatCents(open + amountCents)}, over its ${formatCents(account.creditLimitCents)} credit limit.`, {
      [field]: `Over the credit limit: ${formatCents(Math.max(0, account.creditLimitCents - open))} available.`,
    });
  }
  const number = await nextInSeries(tx, 'invoice', 'INV-');
  const [row] = await tx
    .insert(invoices)
    .values({ number, accountId, sourceType: where.sourceType, sourceId: where.sourceId, issuedOn: where.issuedOn, dueOn: addDays(where.issuedOn, CHARGE_TERMS_DAYS), totalCents: amountCents, balanceCents: amountCents, memo: where.memo.slice(0, 500) })
    .returning();
  return row;
}

export interface Allocation {
  invoiceId: string;
  invoiceNumber: string;
  amountCents: number;
}

/**
 * Applies money to an account's open invoices: the chosen ones first (in the order given), then the oldest
 * (issued date, then number). Returns the allocations made and what was left over (the caller turns it into
 * store credit). Invoices are locked in a fixed order so concurrent payments on one account can't deadlock.
 */
export async function allocateToInvoices(tx: Tx, accountId: string, amountCents: number, saleId: string | null, chosenInvoiceIds: string[] = []): Promise<{ allocations: Allocation[]; leftoverCents: number }> {
  const open = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.accountId, accountId), gt(invoices.balanceCents, 0)))
    .orderBy(asc(invoices.issuedOn), asc(invoices.number))
    .for('update');
  // An invoice chosen twice is applied once (applying it twice would work from its stale balance).
  const chosen = [...new Set(chosenInvoiceIds)];
  for (const id of chosen) {
    if (!open.some((i) => i.id === id)) throw new ValidationError({ invoice_ids: 'Only open invoices of this account can be chosen.' });
  }
  const ordered = [...chosen.map((id) => open.find((i) => i.id === id)!), ...open.filter((i) => !chosen.includes(i.id))];
  let left = amountCents;
  const allocations: Allocation[] = [];
  for (const inv of ordered) {
    if (left === 0) break;
    const take = Math.min(left, inv.balanceCents);
    await tx.insert(invoiceAllocations).values({ invoiceId: inv.id, saleId, amountCents: take });
    await tx.update(invoices).set({ balanceCents: inv.balanceCents - take }).where(eq(invoices.id, inv.id));
    allocations.push({ invoiceId: inv.id, invoiceNumber: inv.number, amountCents: take });
    left -= take;
  }
  return { allocations, leftoverCents: left };
}

/** Open invoices of accounts, oldest first (statement, aging, payment screen). */
export async function openInvoices(db: DbOrTx, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  return db.select().from(invoices).where(and(inArray(invoices.accountId, accountIds), gt(invoices.balanceCents, 0))).orderBy(asc(invoices.issuedOn), asc(invoices.number));
}

export async function listInvoices(db: DbOrTx, accountId: string) {
  return db.select().from(invoices).where(eq(invoices.accountId, accountId)).orderBy(asc(invoices.issuedOn), asc(invoices.number));
}
