import { eq, or, sql } from 'drizzle-orm';
import { accounts, products } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { isUuid } from '../../db/sql-helpers';
import { formatCents } from '../../domain/money';
import { findUnitsBySerial } from '../inventory/units';
import { globalSearch } from '../search/service';
import { MAX_QUANTITY } from '../sales/schemas';

/**
 * The no-receipt return form (pos.md: "returns without receipt give store credit and need a manager"): the
 * customer account that gets the credit, found by number or name, and item rows where a SKU, UPC or serial
 * number is scanned or typed. Everything is resolved here before createNoReceiptReturn runs, so a typo comes
 * back next to its row and nothing is written.
 */

export const DEFAULT_ITEM_ROWS = 5;
export const MAX_ITEM_ROWS = 30;

export interface ItemRowValues {
  code: string;
  quantity: string;
  restock: string;
}

export interface ResolvedItem {
  row: number;
  productId: string;
  unitId: string | null;
  quantity: number;
  restock: boolean;
  label: string;
}

export interface AccountChoice {
  id: string;
  number: string;
  name: string;
  secondary: string;
}

const describe = (a: { number: string; phone: string | null }) => [`Account ${a.number}`, a.phone].filter(Boolean).join(' · ');

/** The account typed (6-digit number, or a name/phone matching exactly one) or picked from the choices. */
export async function resolveAccount(db: DbOrTx, pickedId: string, text: string): Promise<{ account: AccountChoice | null; choices: AccountChoice[]; error: string | null }> {
  if (isUuid(pickedId)) {
    const [a] = await db.select({ id: accounts.id, number: accounts.number, name: accounts.name, phone: accounts.phone }).from(accounts).where(eq(accounts.id, pickedId));
    if (a) return { account: { id: a.id, number: a.number, name: a.name, secondary: describe(a) }, choices: [], error: null };
  }
  const q = text.trim();
  if (!q) return { account: null, choices: [], error: 'Find the customer account that gets the store credit (number, name or phone).' };
  if (/^\d{6}$/.test(q)) {
    const [a] = await db.select({ id: accounts.id, number: accounts.number, name: accounts.name, phone: accounts.phone }).from(accounts).where(eq(accounts.number, q));
    if (a) return { account: { id: a.id, number: a.number, name: a.name, secondary: describe(a) }, choices: [], error: null };
  }
  const found = await globalSearch(db, q, { kinds: ['accounts'], limit: 10 }).catch(() => null);
  const hits = found?.groups[0]?.hits ?? [];
  const choices = hits.map((h) => ({ id: h.id, number: h.code, name: h.label, secondary: h.secondary }));
  if (choices.length === 1) return { account: choices[0], choices: [], error: null };
  if (choices.length === 0) return { account: null, choices: [], error: `No customer account matches “${q}”.` };
  return { account: null, choices, error: 'Several accounts match; choose one below.' };
}

/** Item rows to lines: blank rows are skipped; each code must name one product (SKU/UPC) or one unit (serial). */
export async function resolveItems(db: DbOrTx, rows: ItemRowValues[]): Promise<{ items: ResolvedItem[]; errors: Record<string, string> }> {
  const items: ResolvedItem[] = [];
  const errors: Record<string, string> = {};
  for (const [i, r] of rows.entries()) {
    const code = r.code.trim();
    if (!code) {
      if (r.quantity.trim() && r.quantity.trim() !== '1') errors[`code_${i}`] = 'Scan or type the item (SKU, UPC or serial number).';
      continue;
    }
    const qtyText = r.quantity.trim() || '1';
    if (!/^\d{1,4}$/.test(qtyText) || Number(qtyText) < 1 || Number(qtyText) > MAX_QUANTITY) {
      errors[`qty_${i}`] = `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`;
      continue;
    }
    const quantity = Number(qtyText);
    const restock = r.restock !== 'damaged';
    if (code.length > 100) {
      errors[`code_${i}`] = 'That code is too long.';
      continue;
    }
    const [p] = await db
      .select({ id: products.id, name: products.name, sku: products.sku, kind: products.kind, priceCents: products.priceCents })
      .from(products)
      .where(or(sql`lower(${products.sku}) = ${code.toLowerCase()}`, eq(products.upc, code)))
      .limit(1);
    if (p) {
      if (p.kind === 'serialized') {
        errors[`code_${i}`] = `${p.name} is serialized: scan the returned unit's serial number instead.`;
        continue;
      }
      items.push({ row: i, productId: p.id, unitId: null, quantity, restock, label: `${p.name} (${p.sku}) · ${formatCents(p.priceCents)} each` });
      continue;
    }
    const units = await findUnitsBySerial(db, code);
    if (units.length === 1) {
      const u = units[0];
      if (quantity !== 1) {
        errors[`qty_${i}`] = 'A serialized unit comes back one at a time.';
        continue;
      }
      if (u.status !== 'sold') {
        errors[`code_${i}`] = `Unit ${u.serialNumber} is ${u.status.replace(/_/g, ' ')}, not sold; it can't come back as a return.`;
        continue;
      }
      items.push({ row: i, productId: u.productId, unitId: u.id, quantity: 1, restock, label: `${u.productName} #${u.serialNumber}` });
      continue;
    }
    errors[`code_${i}`] = units.length > 1 ? `Serial ${code} is on several products; ask a manager to check the units.` : `No product or unit matches “${code}”.`;
  }
  if (items.length === 0 && Object.keys(errors).length === 0) errors.items = 'Scan or type at least one returned item.';
  return { items, errors };
}
