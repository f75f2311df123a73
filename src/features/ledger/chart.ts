import { inArray, sql } from 'drizzle-orm';
import { ledgerAccounts } from '../../db/schema';
import type { DbOrTx } from '../../db/client';

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'contra_revenue' | 'expense';

export interface SystemAccount {
  key: string;
  code: string;
  name: string;
  type: AccountType;
}

/** Debit-normal types; the rest are credit-normal. */
export const normalSideOf = (type: AccountType): 'debit' | 'credit' => (type === 'asset' || type === 'expense' || type === 'contra_revenue' ? 'debit' : 'credit');

/**
 * The seeded chart of accounts (QuickBooks-like numbering). The posting rules name accounts by `key`; the store
 * may renumber and rename them freely. Migration 0009_ledger_rules seeds the same list, later migrations the additions (a test compares them);
 * `ensureChart` re-creates any that are missing, so an update that adds a system account needs no migration.
 * Sales tax: 2100 is the one generic account today; when tax classes get components (POS work), each component
 * gets its own account keyed `sales_tax:<component id>` under 2100, and 2100 stays the fallback.
 */
export const SYSTEM_ACCOUNTS: readonly SystemAccount[] = [
  { key: 'cash_drawer', code: '1000', name: 'Cash in drawers', type: 'asset' },
  { key: 'safe_cash', code: '1010', name: 'Safe / undeposited cash', type: 'asset' },
  { key: 'checks_to_deposit', code: '1020', name: 'Checks to deposit', type: 'asset' },
  { key: 'card_clearing_stripe', code: '1030', name: 'Card clearing - Stripe', type: 'asset' },
  { key: 'card_clearing_globalpayments', code: '1031', name: 'Card clearing - Global Payments', type: 'asset' },
  { key: 'card_clearing_external', code: '1039', name: 'Card clearing - external terminal', type: 'asset' },
  { key: 'bank', code: '1050', name: 'Bank - checking', type: 'asset' },
  { key: 'accounts_receivable', code: '1100', name: 'Accounts receivable', type: 'asset' },
  { key: 'inventory', code: '1200', name: 'Inventory', type: 'asset' },
  { key: 'rental_fleet', code: '1210', name: 'Rental fleet', type: 'asset' },
  { key: 'accounts_payable', code: '2000', name: 'Accounts payable', type: 'liability' },
  { key: 'sales_tax_payable', code: '2100', name: 'Sales tax payable', type: 'liability' },
  { key: 'customer_deposits', code: '2200', name: 'Customer deposits', type: 'liability' },
  { key: 'gift_card_liability', code: '2300', name: 'Gift card liability', type: 'liability' },
  { key: 'store_credit_liability', code: '2310', name: 'Store credit liability', type: 'liability' },
  { key: 'rto_equity_held', code: '2400', name: 'Rent-to-own equity held', type: 'liability' },
  { key: 'deferred_lesson_revenue', code: '2500', name: 'Deferred lesson revenue', type: 'liability' },
  { key: 'opening_balance_equity', code: '3900', name: 'Opening balance equity', type: 'equity' },
  { key: 'sales', code: '4000', name: 'Sales', type: 'revenue' },
  { key: 'rental_revenue', code: '4100', name: 'Rental revenue', type: 'revenue' },
  { key: 'coverage_fee_revenue', code: '4150', name: 'Coverage fee revenue', type: 'revenue' },
  { key: 'lesson_revenue', code: '4200', name: 'Lesson revenue', type: 'revenue' },
  { key: 'repair_labor_revenue', code: '4300', name: 'Repair labor revenue', type: 'revenue' },
  { key: 'repair_parts_revenue', code: '4310', name: 'Repair parts revenue', type: 'revenue' },
  { key: 'late_fee_income', code: '4400', name: 'Late fee income', type: 'revenue' },
  { key: 'discounts', code: '4900', name: 'Discounts', type: 'contra_revenue' },
  { key: 'returns', code: '4910', name: 'Returns', type: 'contra_revenue' },
  { key: 'cogs', code: '5000', name: 'Cost of goods sold', type: 'expense' },
  { key: 'repair_parts_cost', code: '5100', name: 'Repair parts cost', type: 'expense' },
  { key: 'inventory_shrink', code: '5200', name: 'Inventory shrink', type: 'expense' },
  { key: 'cash_over_short', code: '5300', name: 'Cash over/short', type: 'expense' },
  { key: 'processing_fees', code: '5400', name: 'Processing fees', type: 'expense' },
  // Added by migration 0011_registers_rules (drawer paid-outs).
  { key: 'paid_outs', code: '5500', name: 'Paid-outs / petty cash expense', type: 'expense' },
];

export type SystemAccountKey = (typeof SYSTEM_ACCOUNTS)[number]['key'];

/** Inserts the system accounts that are missing (an emptied database, a new key added by an update). */
export async function ensureChart(db: DbOrTx): Promise<void> {
  await db
    .insert(ledgerAccounts)
    .values(SYSTEM_ACCOUNTS.map((a) => ({ code: a.code, name: a.name, type: a.type, normalSide: normalSideOf(a.type), systemKey: a.key })))
    .onConflictDoNothing();
}

/**
 * Account ids for system keys. Creates missing system accounts first (see ensureChart); a key that still has no
 * account (a typo in a posting rule, or a store that took the seeded code for another account) is a program
 * error and throws.
 */
export async function accountIdsByKey(db: DbOrTx, keys: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(keys)];
  const find = async () => new Map((await db.select({ id: ledgerAccounts.id, key: ledgerAccounts.systemKey }).from(ledgerAccounts).where(inArray(ledgerAccounts.systemKey, wanted))).map((r) => [r.key as string, r.id]));
  let ids = await find();
  if (ids.size < wanted.length) {
    await ensureChart(db);
    ids = await find();
  }
  const missing = wanted.filter((k) => !ids.has(k));
  if (missing.length) throw new Error(`No ledger account has the system key ${missing.join(', ')}; check the chart of accounts (a code or name taken by another account blocks re-creating it).`);
  return ids;
}

/** The store's business date, computed by PostgreSQL in the store's time zone: the default date of an entry. */
export const STORE_BUSINESS_DATE = sql`(now() at time zone coalesce((select time_zone from store_settings where id = 1), 'UTC'))::date`;
