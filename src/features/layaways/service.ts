import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { findByIdOrNumber } from '../../db/find-by-number';
import { journalEntries, layaways, products, saleLines, sales } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { isUuid } from '../../db/sql-helpers';
import { transitionUnit } from '../inventory/unit-lifecycle';
import { formatCents } from '../../domain/money';
import type { SaleContext } from '../sales/context';
import { completeSale, discountLimitOf, recordCounterDocument } from '../sales/checkout';
import { loadAccount, priceSale, type PricedDiscount, type PricedSale, type PricedSaleLine, type PricedTax } from '../sales/pricing';
import { refundCustomerDeposit } from './deposit-refund';
import type { CancelWithRefundInput, CreateLayawayInput, DepositPaymentInput } from './schemas';

/**
 * Layaway (pos.md "Layaway, special orders, trade-ins, trials"; docs/layaway-orders-trials.md).
 *  - Created: the items are priced with priceSale and the result — lines, discounts, tax by component — is
 *    frozen in `layaways.lines` ("Layaway fixes the tax when the layaway is created"). Serialized units move to
 *    status `layaway` (still Inventory: no entry). Stock stays on the shelf until pickup; creation refuses
 *    more than is free (on hand less what other open layaways hold).
 *  - Payments (the first one optional at creation): counter documents with a layaway_payment line, posted by
 *    checkout as Dr tender / Cr Customer deposits.
 *  - Pickup, once paid in full: the frozen document is recorded as a sale paid by the `deposit` tender —
 *    revenue, tax and COGS are booked now, Customer deposits is debited.
 *  - Cancel: units back to available; the deposits go back as store credit (default) or cash.
 */

export type Layaway = typeof layaways.$inferSelect;

/** What `layaways.lines` holds: the priced document without its account (reloaded at pickup). */
export interface LayawaySnapshot {
  version: 1;
  exemptCertificate: string | null;
  grossCents: number;
  discountCents: number;
  netCents: number;
  taxCents: number;
  totalCents: number;
  lines: PricedSaleLine[];
  discounts: PricedDiscount[];
  taxes: PricedTax[];
}

export function layawaySnapshot(row: Pick<Layaway, 'lines'>): LayawaySnapshot {
  const s = row.lines as LayawaySnapshot;
  if (!s || s.version !== 1 || !Array.isArray(s.lines)) throw new Error('layaway lines are not a version-1 snapshot');
  return s;
}

const memoOf = (lay: Pick<Layaway, 'number'>, accountName: string) => `Layaway ${lay.number} — ${accountName}`;

export async function findLayaway(db: DbOrTx, idOrNumber: string, opts: { lock?: boolean } = {}): Promise<Layaway> {
  return findByIdOrNumber(db, layaways, 'L', 'Layaway', idOrNumber, opts);
}

/** Quantity of each stock product held by open layaways (not yet taken off the shelf). */
export async function stockOnLayaway(db: DbOrTx, productIds: string[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.execute<{ product_id: string; q: string }>(sql`
    select l ->> 'productId' as product_id, sum((l ->> 'quantity')::int) as q
    from ${layaways}, jsonb_array_elements(${layaways.lines} -> 'lines') l
    where ${layaways.status} = 'open' and l ->> 'productKind' = 'stock'
      and l ->> 'productId' in (${sql.join(productIds.map((id) => sql`${id}`), sql`, `)})
    group by 1`);
  return new Map(rows.map((r) => [r.product_id, Number(r.q)]));
}

export interface CreatedLayaway {
  layawayId: string;
  /** The counter document of the first payment, when one was taken. */
  depositSaleId: string | null;
}

/** `now` is the app clock's time (the aging report counts days from it). */
export async function createLayaway(tx: Tx, sc: SaleContext, input: CreateLayawayInput, now: Date = new Date()): Promise<CreatedLayaway> {
  const { actor } = sc;
  const account = (await loadAccount(tx, input.account_id))!;
  if (!account.isActive) throw new ValidationError({ account_id: `${account.name} is inactive.` });
  if (input.due_on && input.due_on < sc.today) throw new ValidationError({ due_on: 'The due date cannot be in the past.' });
  const priced = await priceSale(tx, sc, { account_id: account.id, lines: input.lines, order_discount: input.order_discount, approval: input.approval, tenders: [] }, await discountLimitOf(tx, sc));
  if (priced.totalCents <= 0) throw new ValidationError({ lines: 'A layaway must be worth more than $0.00.' });
  priced.lines.forEach((l, i) => {
    // priceSale also lets the customer's own trial unit through; a layaway takes only available units.
    if (l.unitId && l.unitStatus !== 'available') throw new ConflictError(`${l.description} is ${String(l.unitStatus).replace('_', ' ')}, not available.`, { [`lines.${i}.unit_id`]: `This unit is ${String(l.unitStatus).replace('_', ' ')}.` });
  });

  // Stock stays on the shelf until pickup; refuse to promise more than is free (rows locked like a sale would).
  const stockLines = priced.lines.map((l, i) => ({ l, i })).filter(({ l }) => l.productKind === 'stock' && l.productId);
  if (stockLines.length) {
    const ids = [...new Set(stockLines.map(({ l }) => l.productId!))];
    const onHand = await tx.select({ id: products.id, sku: products.sku, q: products.quantityOnHand }).from(products).where(inArray(products.id, ids)).orderBy(products.id).for('update');
    const held = await stockOnLayaway(tx, ids);
    const wanted = new Map<string, number>();
    for (const { l, i } of stockLines) {
      const total = (wanted.get(l.productId!) ?? 0) + l.quantity;
      wanted.set(l.productId!, total);
      const p = onHand.find((x) => x.id === l.productId)!;
      const free = p.q - (held.get(p.id) ?? 0);
      if (total > free) throw new ConflictError(`Only ${Math.max(free, 0)} of ${p.sku} free (${p.q} on hand, ${held.get(p.id) ?? 0} on other layaways).`, { [`lines.${i}.quantity`]: `Only ${Math.max(free, 0)} free.` });
    }
  }
  if (input.deposit && input.deposit.amount_cents > priced.totalCents) throw new ValidationError({ 'deposit.amount_cents': `The deposit can't be more than the layaway's total, ${formatCents(priced.totalCents)}.` });

  const number = await nextInSeries(tx, 'layaway', 'L-');
  const snapshot: LayawaySnapshot = {
    version: 1,
    exemptCertificate: priced.exemptCertificate,
    grossCents: priced.grossCents,
    discountCents: priced.discountCents,
    netCents: priced.netCents,
    taxCents: priced.taxCents,
    totalCents: priced.totalCents,
    lines: priced.lines,
    discounts: priced.discounts,
    taxes: priced.taxes,
  };
  const [row] = await tx
    .insert(layaways)
    .values({ number, accountId: account.id, lines: snapshot, netCents: priced.netCents, taxCents: priced.taxCents, totalCents: priced.totalCents, dueOn: input.due_on ?? null, createdByLabel: actor.label, createdAt: now })
    .returning();
  for (const l of priced.lines) {
    if (!l.unitId) continue;
    // available → layaway: both Inventory (or both Rental fleet), so the lifecycle posts nothing — and would
    // refuse if value moved, which is why no posted_by_caller flag is passed.
    await transitionUnit(tx, actor, l.unitId, 'layaway', { expectedFrom: ['available'], eventType: 'layaway', summary: `On layaway ${number} for ${account.name}`, referenceType: 'layaway', referenceId: row.id });
  }
  await recordAudit(tx, actor, {
    action: 'layaway.create',
    entityType: 'layaway',
    entityId: row.id,
    summary: `${number} for ${account.name}: ${formatCents(priced.totalCents)} (tax ${formatCents(priced.taxCents)} fixed)`,
    after: { number, account_id: account.id, total_cents: priced.totalCents, tax_cents: priced.taxCents, due_on: row.dueOn, lines: priced.lines.map((l) => ({ description: l.description, quantity: l.quantity, net_cents: l.netCents, tax_cents: l.taxCents })) },
  });
  const depositSaleId = input.deposit ? await payLayaway(tx, sc, row.id, input.deposit, 'deposit.') : null;
  return { layawayId: row.id, depositSaleId };
}

/** A payment into the layaway (customer deposits); returns the counter document's id. */
export async function payLayaway(tx: Tx, sc: SaleContext, idOrNumber: string, input: DepositPaymentInput, fieldPrefix = ''): Promise<string> {
  const lay = await findLayaway(tx, idOrNumber, { lock: true });
  if (lay.status !== 'open') throw new ConflictError(`Layaway ${lay.number} is ${lay.status.replace('_', ' ')}; it takes no more payments.`);
  const left = lay.totalCents - lay.paidCents;
  if (left === 0) throw new ConflictError(`Layaway ${lay.number} is paid in full; it is ready to pick up.`);
  if (input.amount_cents > left) throw new ValidationError({ [`${fieldPrefix}amount_cents`]: `Layaway ${lay.number} has ${formatCents(left)} left to pay.` });
  try {
    return await completeSale(tx, sc, { account_id: lay.accountId, register_session_id: input.register_session_id, lines: [{ kind: 'layaway_payment', ref_id: lay.id, amount_cents: input.amount_cents }], tenders: input.tenders, note: input.note });
  } catch (err) {
    // Field errors of the counter document (tenders.0.reference …) belong to the deposit part of a create form.
    if (fieldPrefix && err instanceof ValidationError) throw new ValidationError(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.startsWith('tenders') || k === 'register_session_id' ? `${fieldPrefix}${k}` : k, v])), err.message);
    throw err;
  }
}

/** Pickup of a layaway paid in full: the frozen document becomes a sale paid by the deposits held. */
export async function pickUpLayaway(tx: Tx, sc: SaleContext, idOrNumber: string, input: { note?: string }, now: Date = new Date()): Promise<string> {
  const lay = await findLayaway(tx, idOrNumber, { lock: true });
  if (lay.status !== 'open') throw new ConflictError(`Layaway ${lay.number} is ${lay.status.replace('_', ' ')}.`);
  if (lay.paidCents < lay.totalCents) throw new ConflictError(`Layaway ${lay.number} has ${formatCents(lay.totalCents - lay.paidCents)} left to pay; take the payment before the pickup.`);
  const snap = layawaySnapshot(lay);
  const account = await loadAccount(tx, lay.accountId);
  const doc: PricedSale = {
    account,
    exemptCertificate: snap.exemptCertificate,
    lines: snap.lines.map((l) => ({ ...l })),
    discounts: snap.discounts.map((d) => ({ ...d })),
    taxes: snap.taxes.map((t) => ({ ...t })),
    grossCents: snap.grossCents,
    discountCents: snap.discountCents,
    netCents: snap.netCents,
    taxCents: snap.taxCents,
    totalCents: snap.totalCents,
  };
  const saleId = await recordCounterDocument(tx, sc, doc, [{ method: 'deposit', amount_cents: lay.paidCents }], {
    allowDepositTender: true,
    unitsFromStatus: 'layaway',
    registerSessionId: null,
    note: input.note?.trim() || `Layaway ${lay.number} picked up`,
  });
  await tx.update(layaways).set({ status: 'picked_up', pickupSaleId: saleId, closedAt: now }).where(eq(layaways.id, lay.id));
  await recordAudit(tx, sc.actor, { action: 'layaway.pickup', entityType: 'layaway', entityId: lay.id, summary: `${lay.number} picked up by ${account!.name}`, before: { status: 'open' }, after: { status: 'picked_up', pickup_sale_id: saleId } });
  return saleId;
}

/** Cancels an open layaway: units back on the shelf, the deposits back as store credit or cash. */
export async function cancelLayaway(tx: Tx, sc: SaleContext, idOrNumber: string, input: CancelWithRefundInput, now: Date = new Date()): Promise<Layaway> {
  const lay = await findLayaway(tx, idOrNumber, { lock: true });
  if (lay.status !== 'open') throw new ConflictError(`Layaway ${lay.number} is ${lay.status.replace('_', ' ')}; it can't be cancelled.`);
  const account = (await loadAccount(tx, lay.accountId))!;
  const method = input.refund ?? 'store_credit';
  if (method === 'cash' && lay.paidCents > 0 && !input.register_session_id) throw new ValidationError({ register_session_id: 'A cash refund comes out of a drawer: choose the open drawer session.' });
  for (const l of layawaySnapshot(lay).lines) {
    if (!l.unitId) continue;
    await transitionUnit(tx, sc.actor, l.unitId, 'available', { expectedFrom: ['layaway'], eventType: 'layaway_cancelled', summary: `Layaway ${lay.number} cancelled: ${input.reason}`, referenceType: 'layaway', referenceId: lay.id });
  }
  const refund = await refundCustomerDeposit(tx, sc, { method, amountCents: lay.paidCents, accountId: lay.accountId, sourceType: 'layaway', sourceId: lay.id, storeCreditKind: 'layaway_cancel', memo: memoOf(lay, account.name), registerSessionId: input.register_session_id, approval: input.approval });
  const [after] = await tx.update(layaways).set({ status: 'cancelled', closedAt: now }).where(eq(layaways.id, lay.id)).returning();
  await recordAudit(tx, sc.actor, {
    action: 'layaway.cancel',
    entityType: 'layaway',
    entityId: lay.id,
    summary: `${lay.number} cancelled (${input.reason}); ${lay.paidCents ? `${formatCents(lay.paidCents)} back as ${method === 'cash' ? 'cash' : 'store credit'}` : 'nothing paid'}${refund.approver ? `, approved by ${refund.approver.label}` : ''}`,
    before: { status: 'open', paid_cents: lay.paidCents },
    after: { status: 'cancelled', refund: method, refund_cents: lay.paidCents, journal_entry_id: refund.entry?.id ?? null },
  });
  return after;
}

export interface LayawayPayment {
  saleId: string;
  number: string;
  businessDate: string;
  amountCents: number;
  status: string;
}

export interface LayawayView {
  layaway: Layaway;
  snapshot: LayawaySnapshot;
  accountName: string;
  accountNumber: string;
  payments: LayawayPayment[];
  pickupNumber: string | null;
  /** The refund entry of a cancelled layaway (its memo says store credit or cash). */
  refundEntry: { id: string; memo: string } | null;
}

export async function layawayView(db: DbOrTx, idOrNumber: string): Promise<LayawayView> {
  const layaway = await findLayaway(db, idOrNumber);
  const [acct] = await db.execute<{ name: string; number: string }>(sql`select name, number from accounts where id = ${layaway.accountId}`);
  const payments = await db
    .select({ saleId: sales.id, number: sales.number, businessDate: sales.businessDate, amountCents: saleLines.netCents, status: sales.status })
    .from(saleLines)
    .innerJoin(sales, eq(sales.id, saleLines.saleId))
    .where(and(eq(saleLines.kind, 'layaway_payment'), eq(saleLines.refId, layaway.id)))
    .orderBy(asc(sales.createdAt));
  const [pickup] = layaway.pickupSaleId ? await db.select({ number: sales.number }).from(sales).where(eq(sales.id, layaway.pickupSaleId)) : [];
  const [refund] = await db.select({ id: journalEntries.id, memo: journalEntries.memo }).from(journalEntries).where(and(eq(journalEntries.sourceType, 'layaway'), eq(journalEntries.sourceId, layaway.id), eq(journalEntries.eventType, 'layaway_cancel')));
  return { layaway, snapshot: layawaySnapshot(layaway), accountName: acct.name, accountNumber: acct.number, payments, pickupNumber: pickup?.number ?? null, refundEntry: refund ?? null };
}
