import { randomInt } from 'node:crypto';
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { accounts, giftCardEntries, giftCards, storeCreditEntries } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { formatCents } from '../../domain/money';

/**
 * Gift cards and store credit (pos.md "Stored value"): append-only ledgers whose running balance is stored on
 * every entry (balance_after_cents, checked ≥ 0 by the database). Each change locks the card / account row
 * first, so two redemptions of the same card queue and the second sees the first's balance. The journal side
 * (Gift card / Store credit liability) is posted by the caller's counter document in the same transaction.
 */

export type GiftCard = typeof giftCards.$inferSelect;
export type GiftCardEntryKind = 'issue' | 'reload' | 'redeem' | 'refund' | 'void';
export type StoreCreditKind = 'return' | 'trade_in' | 'overpayment' | 'rental_exchange' | 'redeem' | 'refund' | 'void' | 'layaway_cancel';

/** Card numbers as printed: digits, capitals and dashes; scanners and people add spaces and lower case. */
export function normalizeGiftCardNumber(raw: string): string {
  return raw.trim().toUpperCase().replace(/\s+/g, '');
}

export const GIFT_CARD_NUMBER_RE = /^[0-9A-Z-]{6,30}$/;

export async function findGiftCard(db: DbOrTx, rawNumber: string, opts: { lock?: boolean } = {}): Promise<GiftCard | null> {
  const number = normalizeGiftCardNumber(rawNumber);
  if (!GIFT_CARD_NUMBER_RE.test(number)) return null;
  const q = db.select().from(giftCards).where(eq(giftCards.number, number));
  const [row] = opts.lock ? await q.for('update') : await q;
  return row ?? null;
}

/**
 * Locks the existing cards a document touches, in id order, before any of them changes: two documents using the
 * same cards in different orders (a sale redeeming A then B, a void crediting B then A) queue instead of
 * deadlocking. Numbers are normalized; unknown ones are skipped (their errors come later, in order).
 */
export async function lockGiftCards(tx: Tx, refs: { ids?: (string | null | undefined)[]; numbers?: (string | null | undefined)[] }): Promise<void> {
  const ids = [...new Set((refs.ids ?? []).filter((x): x is string => !!x))];
  const numbers = [...new Set((refs.numbers ?? []).filter((x): x is string => !!x).map(normalizeGiftCardNumber))];
  if (ids.length === 0 && numbers.length === 0) return;
  const byId = ids.length ? inArray(giftCards.id, ids) : undefined;
  const byNumber = numbers.length ? inArray(giftCards.number, numbers) : undefined;
  await tx.select({ id: giftCards.id }).from(giftCards).where(byId && byNumber ? or(byId, byNumber) : (byId ?? byNumber)).orderBy(asc(giftCards.id)).for('update');
}

/** A card's balance: the sum of its entries (each entry also carries the balance after it). */
export async function giftCardBalance(db: DbOrTx, giftCardId: string): Promise<number> {
  const [s] = await db.select({ s: sql<string>`coalesce(sum(${giftCardEntries.amountCents}), 0)` }).from(giftCardEntries).where(eq(giftCardEntries.giftCardId, giftCardId));
  return Number(s.s);
}

/** A fresh 16-digit card number (for cards sold without a pre-printed number). */
export async function generateGiftCardNumber(db: DbOrTx): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = `${randomInt(1000, 10000)}${randomInt(100000, 1000000)}${randomInt(100000, 1000000)}`;
    if (!(await findGiftCard(db, n))) return n;
  }
  throw new Error('Could not generate a free gift card number');
}

/** Today's date in the store's zone, compared with a card's expiry (optional, where the law allows it). */
const isExpired = (card: GiftCard, today: string) => card.expiresOn !== null && card.expiresOn < today;

interface EntryWhere {
  saleId?: string | null;
  memo?: string;
}

/**
 * Sells a new card or reloads an existing one (a gift-card line of a sale). A number that doesn't exist yet
 * becomes a new card. An expired card is not reloaded (the money would be stuck on it). Returns the card and
 * its balance after. `field` names the input errors belong to (the sale line's number field).
 */
export async function loadGiftCard(tx: Tx, actor: Actor, rawNumber: string, amountCents: number, where: EntryWhere & { accountId?: string | null; today?: string; field?: string }): Promise<{ card: GiftCard; balanceCents: number; created: boolean }> {
  const field = where.field ?? 'gift_card_number';
  const number = normalizeGiftCardNumber(rawNumber);
  if (!GIFT_CARD_NUMBER_RE.test(number)) throw new ValidationError({ [field]: 'A gift card number is 6–30 digits, capital letters or dashes.' });
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) throw new ValidationError({ amount_cents: 'A gift card amount must be more than $0.00.' });
  await tx.insert(giftCards).values({ number, accountId: where.accountId ?? null }).onConflictDoNothing();
  const card = (await findGiftCard(tx, number, { lock: true }))!;
  if (card.status !== 'active') throw new ConflictError(`Gift card ${number} is void.`, { [field]: 'This card is void.' });
  if (where.today && isExpired(card, where.today)) throw new ConflictError(`Gift card ${number} expired on ${card.expiresOn}; sell a new card instead of reloading it.`, { [field]: 'This card has expired.' });
  const before = await giftCardBalance(tx, card.id);
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(giftCardEntries).where(eq(giftCardEntries.giftCardId, card.id));
  const created = n === 0;
  await tx.insert(giftCardEntries).values({ giftCardId: card.id, kind: created ? 'issue' : 'reload', amountCents, balanceAfterCents: before + amountCents, saleId: where.saleId ?? null, memo: where.memo ?? '', byUserId: actor.userId, byLabel: actor.label });
  return { card, balanceCents: before + amountCents, created };
}

/** Takes value off a card (a gift-card tender, or a voided card sale); refuses more than the balance. */
export async function debitGiftCard(tx: Tx, actor: Actor, rawNumber: string, amountCents: number, kind: 'redeem' | 'void', today: string, where: EntryWhere = {}, field = 'gift_card_number'): Promise<{ card: GiftCard; balanceCents: number }> {
  const card = await findGiftCard(tx, rawNumber, { lock: true });
  if (!card) throw new ValidationError({ [field]: `No gift card ${normalizeGiftCardNumber(rawNumber) || '(blank)'}.` });
  if (card.status !== 'active') throw new ConflictError(`Gift card ${card.number} is void.`, { [field]: 'This card is void.' });
  if (kind === 'redeem' && isExpired(card, today)) throw new ConflictError(`Gift card ${card.number} expired on ${card.expiresOn}.`, { [field]: 'This card has expired.' });
  const before = await giftCardBalance(tx, card.id);
  if (amountCents > before) throw new ConflictError(`Gift card ${card.number} has ${formatCents(before)}, not ${formatCents(amountCents)}.`, { [field]: `Balance is ${formatCents(before)}.` });
  await tx.insert(giftCardEntries).values({ giftCardId: card.id, kind, amountCents: -amountCents, balanceAfterCents: before - amountCents, saleId: where.saleId ?? null, memo: where.memo ?? '', byUserId: actor.userId, byLabel: actor.label });
  return { card, balanceCents: before - amountCents };
}

/** Puts value back on a card (a refund to the gift-card tender it was paid with). */
export async function creditGiftCard(tx: Tx, actor: Actor, giftCardId: string, amountCents: number, where: EntryWhere = {}): Promise<number> {
  const [card] = await tx.select().from(giftCards).where(eq(giftCards.id, giftCardId)).for('update');
  if (!card) throw new NotFoundError('Gift card');
  const before = await giftCardBalance(tx, card.id);
  await tx.insert(giftCardEntries).values({ giftCardId: card.id, kind: 'refund', amountCents, balanceAfterCents: before + amountCents, saleId: where.saleId ?? null, memo: where.memo ?? '', byUserId: actor.userId, byLabel: actor.label });
  return before + amountCents;
}

export async function giftCardHistory(db: DbOrTx, giftCardId: string) {
  return db.select().from(giftCardEntries).where(eq(giftCardEntries.giftCardId, giftCardId)).orderBy(desc(giftCardEntries.at), desc(giftCardEntries.id));
}

export async function storeCreditBalance(db: DbOrTx, accountId: string): Promise<number> {
  const [s] = await db.select({ s: sql<string>`coalesce(sum(${storeCreditEntries.amountCents}), 0)` }).from(storeCreditEntries).where(eq(storeCreditEntries.accountId, accountId));
  return Number(s.s);
}

/**
 * Adds (+) or takes (−) store credit on an account. The account row is locked so the balance check and the
 * new entry can't interleave with another redemption; a redemption above the balance is refused.
 */
export async function changeStoreCredit(tx: Tx, actor: Actor, accountId: string, amountCents: number, kind: StoreCreditKind, where: EntryWhere & { sourceType?: string; sourceId?: string | null } = {}, field = 'store_credit'): Promise<number> {
  if (!Number.isSafeInteger(amountCents) || amountCents === 0) throw new RangeError(`store credit change must be a non-zero number of cents, got ${amountCents}`);
  const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId)).for('update');
  if (!account) throw new NotFoundError('Account');
  const before = await storeCreditBalance(tx, accountId);
  if (before + amountCents < 0) throw new ConflictError(`The account has ${formatCents(before)} of store credit, not ${formatCents(-amountCents)}.`, { [field]: `Store credit is ${formatCents(before)}.` });
  await tx.insert(storeCreditEntries).values({ accountId, kind, amountCents, balanceAfterCents: before + amountCents, saleId: where.saleId ?? null, sourceType: where.sourceType ?? null, sourceId: where.sourceId ?? null, memo: where.memo ?? '', byUserId: actor.userId, byLabel: actor.label });
  return before + amountCents;
}

export async function storeCreditHistory(db: DbOrTx, accountId: string, limit = 100) {
  return db.select().from(storeCreditEntries).where(and(eq(storeCreditEntries.accountId, accountId))).orderBy(desc(storeCreditEntries.at), desc(storeCreditEntries.id)).limit(limit);
}
