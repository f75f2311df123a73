import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { drawerMovements, drawerSessions, layaways, products, saleDiscounts, saleLines, sales, saleTaxes, saleTenders, specialOrders, staffUsers, trials, type TenderMethod } from '../../db/schema';
import type { Tx } from '../../db/client';
import { recordAudit } from '../audit/service';
import { ConflictError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { getStoreSettings } from '../settings/service';
import { recordStockMovement } from '../inventory/stock-ledger';
import { transitionUnit } from '../inventory/unit-lifecycle';
import { postEvent } from '../ledger/journal';
import { unitAssetAccount, type AssetAccount, type CounterDocumentPayload, type TenderAccount } from '../ledger/posting-rules';
import { applyTenders, type TenderKind } from '../../domain/tenders';
import { formatCents } from '../../domain/money';
import type { SaleContext } from './context';
import { priceSale, type PricedSale } from './pricing';
import type { SaleInput, TenderInputApi } from './schemas';
import { changeStoreCredit, debitGiftCard, generateGiftCardNumber, loadGiftCard, lockGiftCards } from './stored-value';
import { allocateToInvoices, chargeToAccount } from './invoices';

/**
 * Checkout (pos.md "Tenders", "After the sale"): stores a priced document with its tenders, moves the goods
 * (stock ledger, unit passport), the drawer's cash and checks, gift cards, store credit and house-account
 * invoices, and posts ONE balanced journal entry — all on the caller's transaction, so a failure anywhere
 * leaves nothing behind. The sale number (S-000001) comes from a row-locked series in the same transaction:
 * gap-free even when checkouts run concurrently (a rolled-back one gives its number back).
 */

export const TENDER_ACCOUNTS: Record<TenderMethod, TenderAccount> = {
  cash: 'cash_drawer',
  check: 'checks_to_deposit',
  card: 'card_clearing_external',
  external_card: 'card_clearing_external',
  store_credit: 'store_credit_liability',
  gift_card: 'gift_card_liability',
  account: 'accounts_receivable',
  deposit: 'customer_deposits',
};

export const TENDER_LABELS: Record<TenderMethod, string> = {
  cash: 'Cash',
  check: 'Check',
  card: 'Card',
  external_card: 'Card (terminal)',
  store_credit: 'Store credit',
  gift_card: 'Gift card',
  account: 'Charge to account',
  deposit: 'Deposit applied',
};

export interface CheckoutOptions {
  /** Series and prefix of the document number. */
  kind?: 'sale' | 'payment';
  /** Internal callers only (layaway pickup, special-order completion): deposits held may pay. */
  allowDepositTender?: boolean;
  /** Layaway pickup: its units are in status layaway, not available. */
  unitsFromStatus?: string;
  /** Overpayment of a payment on account becomes store credit (pos.md "Tenders"). */
  memo?: string;
}

/** The open drawer session a document uses; cash and checks need one (and the API names it). */
export async function openSessionFor(tx: Tx, sessionId: string | null | undefined, needed: boolean) {
  if (!sessionId) {
    if (needed) throw new ValidationError({ register_session_id: 'Cash and checks go into a drawer: open a drawer session and give its id.' });
    return null;
  }
  // FOR SHARE: many sales run side by side, a close (FOR UPDATE) waits for them and they wait for it.
  const [session] = await tx.select().from(drawerSessions).where(eq(drawerSessions.id, sessionId)).for('share');
  if (!session) throw new ValidationError({ register_session_id: 'No such drawer session.' });
  if (session.status !== 'open') throw new ConflictError(`Drawer session ${session.number} is closed; open the drawer first.`, { register_session_id: 'This drawer session is closed.' });
  return session;
}

/**
 * Locks the stock (quantity) products among `productIds` in id order before their stock moves: a sale, a return
 * and a void moving the same products in different line orders then queue one behind the other instead of
 * deadlocking (each stock movement locks its product row, in line order). Serialized products aren't locked
 * (their units are; a product row lock would hold up units being added meanwhile).
 */
export async function lockStockProducts(tx: Tx, productIds: (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(productIds.filter((x): x is string => !!x))];
  if (ids.length === 0) return;
  await tx.select({ id: products.id }).from(products).where(and(inArray(products.id, ids), eq(products.kind, 'stock'))).orderBy(asc(products.id)).for('update');
}

/** The acting user's discount limit (millipercent); anyone who may approve overrides is unlimited. */
export async function discountLimitOf(tx: Tx, ctx: SaleContext): Promise<number> {
  if (ctx.permissions.has('pos.discount.override')) return 100000;
  if (!ctx.actor.userId) return 0;
  const [row] = await tx.select({ limit: staffUsers.discountLimitMillipercent }).from(staffUsers).where(eq(staffUsers.id, ctx.actor.userId));
  return row?.limit ?? 0;
}

/** Rings up a sale from API-shaped input: price it, then record it. Returns the new sale's id. */
export async function completeSale(tx: Tx, ctx: SaleContext, input: SaleInput, opts: CheckoutOptions = {}): Promise<string> {
  const priced = await priceSale(tx, ctx, input, await discountLimitOf(tx, ctx));
  return recordCounterDocument(tx, ctx, priced, input.tenders, { ...opts, registerSessionId: input.register_session_id ?? null, note: input.note ?? '' });
}

interface RecordOptions extends CheckoutOptions {
  registerSessionId: string | null;
  note: string;
}

/**
 * Records a priced document (from priceSale, or a layaway's fixed lines at pickup) and its tenders. The
 * tenders must cover the total exactly (only a final cash tender gives change).
 */
export async function recordCounterDocument(tx: Tx, ctx: SaleContext, doc: PricedSale, tenderInputs: TenderInputApi[], opts: RecordOptions): Promise<string> {
  const { actor } = ctx;
  const settings = await getStoreSettings(tx);
  const kind = opts.kind ?? (doc.lines.every((l) => l.kind === 'account_payment') ? 'payment' : 'sale');

  for (const [i, t] of tenderInputs.entries()) {
    if (t.method === 'card') throw new ValidationError({ [`tenders.${i}.method`]: 'Card payments through the processor are not set up yet; use external_card with the terminal\'s last 4 and auth code.' });
    if (t.method === 'deposit' && !opts.allowDepositTender) throw new ValidationError({ [`tenders.${i}.method`]: 'Deposits are applied by picking up a layaway or completing a special order.' });
    if (t.method === 'external_card' && (!t.last4 || !t.auth_code)) throw new ValidationError({ [`tenders.${i}.last4`]: 'A terminal card payment needs the last 4 digits and the auth code.' });
    if (t.method === 'gift_card' && !t.gift_card_number) throw new ValidationError({ [`tenders.${i}.gift_card_number`]: 'Scan or type the gift card number.' });
    if ((t.method === 'store_credit' || t.method === 'account') && !doc.account) throw new ValidationError({ account_id: `${TENDER_LABELS[t.method]} needs the customer account attached.` });
    // Paying an account's invoices by charging the same account would only swap one invoice for another.
    if (t.method === 'account' && doc.lines.some((l) => l.kind === 'account_payment')) throw new ValidationError({ [`tenders.${i}.method`]: 'A payment on account can\'t be charged to the account; take cash, a check, a card, a gift card or store credit.' });
  }
  if (doc.totalCents > 0 && tenderInputs.length === 0) throw new ValidationError({ tenders: `Take payment: ${formatCents(doc.totalCents)} is due.` });
  let applied;
  try {
    applied = applyTenders(doc.totalCents, tenderInputs.map((t) => ({ kind: t.method as TenderKind, amountCents: t.amount_cents })), { cashRoundingIncrementCents: settings?.cashRoundingCents ?? 1 });
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError({ tenders: err.message.replace(/^tender (\d+)/, (_, n) => `Tender ${Number(n) + 1}`) });
    throw err;
  }
  if (applied.remainingCents > 0) throw new ValidationError({ tenders: `The tenders don't cover the total: ${formatCents(applied.remainingCents)} is still due.` });

  const needsDrawer = tenderInputs.some((t) => t.method === 'cash' || t.method === 'check');
  const session = await openSessionFor(tx, opts.registerSessionId, needsDrawer);
  const saleId = randomUUID();
  const party = doc.account ? { type: 'customer' as const, id: doc.account.id } : null;

  // The ledger rows below reference the sale before its row exists (deferred foreign keys, migration 0013):
  // the row is written last, carrying the journal entry id.
  const cogs: { asset: AssetAccount; cents: number }[] = [];
  const lineIds = doc.lines.map(() => randomUUID());

  // Stock leaves the shelf at its exact stock value. This comes before the sale number: the series row stays
  // locked from numbering to COMMIT (that is what keeps numbers gap-free), so the slow part of a checkout —
  // the stock movements — runs before it and concurrent checkouts queue on the number only briefly. The
  // stock ledger shows the sale's number through its reference (referenceType 'sale').
  await lockStockProducts(tx, doc.lines.filter((l) => l.kind === 'item' && l.productKind === 'stock').map((l) => l.productId));
  for (const [i, line] of doc.lines.entries()) {
    if (line.kind !== 'item' || !line.productId || line.productKind !== 'stock') continue;
    const moved = await recordStockMovement(tx, actor, { productId: line.productId, quantityDelta: -line.quantity, reason: 'sale', referenceType: 'sale', referenceId: saleId }).catch((err) => {
      // Not enough on hand: name the line, not the stock form's "quantity".
      if (err instanceof ConflictError) throw new ConflictError(err.message, { [`lines.${i}.quantity`]: err.fields.quantity ?? err.message });
      throw err;
    });
    line.unitCostCents = moved.costCents;
    if (moved.costCents !== 0) cogs.push({ asset: 'inventory', cents: -moved.valueDeltaCents });
  }

  const number = await nextInSeries(tx, kind === 'payment' ? 'payment' : 'sale', kind === 'payment' ? 'P-' : 'S-');
  const memo = `${kind === 'payment' ? 'Payment' : 'Sale'} ${number}${doc.account ? ` — ${doc.account.name}` : ''}`;

  // Units leave the books at their own cost (their passport names the sale).
  for (const line of doc.lines) {
    if (line.kind !== 'item' || !line.productId || line.productKind === 'stock') continue;
    if (line.unitId) {
      const from = line.unitStatus ?? 'available';
      const unit = await transitionUnit(tx, actor, line.unitId, 'sold', { expectedFrom: [opts.unitsFromStatus ?? from] as any, eventType: 'sold', summary: `Sold on ${number}${doc.account ? ` to ${doc.account.name}` : ''}`, referenceType: 'sale', referenceId: saleId, journal: 'posted_by_caller' });
      const asset = unitAssetAccount(opts.unitsFromStatus ?? from, line.productRentable);
      if (asset && unit.costCents) cogs.push({ asset, cents: unit.costCents });
      line.unitCostCents = unit.costCents;
      if (from === 'on_trial') await tx.update(trials).set({ status: 'converted', saleId, closedAt: new Date() }).where(and(eq(trials.unitId, line.unitId), eq(trials.status, 'out')));
    }
  }

  // Non-item lines: what they pay into. The gift cards of the lines and tenders are locked first, in id order.
  await lockGiftCards(tx, { numbers: [...doc.lines.filter((l) => l.kind === 'gift_card').map((l) => l.giftCardNumber), ...tenderInputs.filter((t) => t.method === 'gift_card').map((t) => t.gift_card_number)] });
  const liabilities: CounterDocumentPayload['liabilities'] = [];
  for (const [i, line] of doc.lines.entries()) {
    if (line.kind === 'gift_card') {
      const cardNumber = line.giftCardNumber || (await generateGiftCardNumber(tx));
      const loaded = await loadGiftCard(tx, actor, cardNumber, line.netCents, { saleId, memo: number, accountId: doc.account?.id ?? null, today: ctx.today, field: `lines.${i}.gift_card_number` });
      line.refId = loaded.card.id;
      line.description = `Gift card ${loaded.card.number} (${loaded.created ? 'new' : 'reload'})`;
      liabilities.push({ account: 'gift_card_liability', cents: line.netCents, memo: `${memo}: gift card ${loaded.card.number}` });
    } else if (line.kind === 'account_payment') {
      const { allocations, leftoverCents } = await allocateToInvoices(tx, doc.account!.id, line.netCents, saleId, line.invoiceIds);
      const allocated = line.netCents - leftoverCents;
      if (allocated) liabilities.push({ account: 'accounts_receivable', cents: allocated, memo: `${memo}: applied to ${allocations.map((a) => a.invoiceNumber).join(', ')}` });
      if (leftoverCents) {
        await changeStoreCredit(tx, actor, doc.account!.id, leftoverCents, 'overpayment', { saleId, sourceType: 'sale', sourceId: saleId, memo: `Overpayment on ${number}` });
        liabilities.push({ account: 'store_credit_liability', cents: leftoverCents, memo: `${memo}: overpayment to store credit` });
      }
    } else if (line.kind === 'layaway_payment') {
      const [lay] = await tx.select().from(layaways).where(eq(layaways.id, line.refId!)).for('update');
      if (!lay || lay.accountId !== doc.account!.id) throw new ValidationError({ [`lines.${i}.ref_id`]: 'No such layaway on this account.' });
      if (lay.status !== 'open') throw new ConflictError(`Layaway ${lay.number} is ${lay.status.replace('_', ' ')}.`);
      if (lay.paidCents + line.netCents > lay.totalCents) throw new ValidationError({ [`lines.${i}.amount_cents`]: `Layaway ${lay.number} has ${formatCents(lay.totalCents - lay.paidCents)} left to pay.` });
      await tx.update(layaways).set({ paidCents: lay.paidCents + line.netCents }).where(eq(layaways.id, lay.id));
      line.description = `Layaway payment ${lay.number}`;
      liabilities.push({ account: 'customer_deposits', cents: line.netCents, memo: `${memo}: layaway ${lay.number}` });
    } else if (line.kind === 'special_order_deposit') {
      const [so] = await tx.select().from(specialOrders).where(eq(specialOrders.id, line.refId!)).for('update');
      if (!so || so.accountId !== doc.account!.id) throw new ValidationError({ [`lines.${i}.ref_id`]: 'No such special order on this account.' });
      if (so.status === 'completed' || so.status === 'cancelled') throw new ConflictError(`Special order ${so.number} is ${so.status}.`);
      if (so.depositCents + line.netCents > so.unitPriceCents * so.quantity) throw new ValidationError({ [`lines.${i}.amount_cents`]: `The deposit can't be more than the order's price.` });
      await tx.update(specialOrders).set({ depositCents: so.depositCents + line.netCents }).where(eq(specialOrders.id, so.id));
      line.description = `Special-order deposit ${so.number}`;
      liabilities.push({ account: 'customer_deposits', cents: line.netCents, memo: `${memo}: special order ${so.number}` });
    }
  }

  // Tenders: the drawer, gift cards, store credit, house-account invoices.
  const tenderRows: (typeof saleTenders.$inferInsert)[] = [];
  const journalTenders: CounterDocumentPayload['tenders'] = [];
  const movements: (typeof drawerMovements.$inferInsert)[] = [];
  const movement = (k: (typeof drawerMovements.$inferInsert)['kind'], amountCents: number) => {
    if (amountCents > 0) movements.push({ sessionId: session!.id, kind: k, amountCents, sourceType: 'sale', sourceId: saleId, byUserId: actor.userId, byLabel: actor.label, at: new Date(Date.now() + movements.length) });
  };
  for (const a of applied.tenders) {
    const t = tenderInputs[a.index];
    const method = t.method as TenderMethod;
    let giftCardId: string | null = null;
    let invoiceId: string | null = null;
    let reference = t.reference ?? '';
    const kept = a.tenderedCents - a.changeCents; // cash: applied + rounding
    if (method === 'cash') {
      movement('sale_cash', a.tenderedCents);
      movement('change_given', a.changeCents);
    } else if (method === 'check') {
      if (!reference) throw new ValidationError({ [`tenders.${a.index}.reference`]: 'Enter the check number.' });
      movement('check_in', a.appliedCents);
    } else if (method === 'gift_card') {
      const r = await debitGiftCard(tx, actor, t.gift_card_number!, a.appliedCents, 'redeem', ctx.today, { saleId, memo: number }, `tenders.${a.index}.gift_card_number`);
      giftCardId = r.card.id;
      reference = r.card.number;
    } else if (method === 'store_credit') {
      await changeStoreCredit(tx, actor, doc.account!.id, -a.appliedCents, 'redeem', { saleId, sourceType: 'sale', sourceId: saleId, memo: number }, `tenders.${a.index}.amount_cents`);
    } else if (method === 'account') {
      const inv = await chargeToAccount(tx, doc.account!.id, a.appliedCents, { sourceType: 'sale', sourceId: saleId, issuedOn: ctx.today, memo: number }, `tenders.${a.index}.amount_cents`);
      invoiceId = inv.id;
      reference = inv.number;
    } else if (method === 'external_card') {
      reference = `•••• ${t.last4} auth ${t.auth_code}`;
    }
    tenderRows.push({ saleId, seq: tenderRows.length + 1, method, tenderedCents: a.tenderedCents, amountCents: a.appliedCents, changeCents: a.changeCents, reference, last4: t.last4 ?? null, authCode: t.auth_code ?? null, giftCardId, invoiceId });
    journalTenders.push({ account: TENDER_ACCOUNTS[method], cents: method === 'cash' ? kept : a.appliedCents, memo: `${memo}: ${TENDER_LABELS[method]}${reference ? ` ${reference}` : ''}` });
  }

  const itemGross = doc.lines.filter((l) => l.kind === 'item').reduce((s, l) => s + l.grossCents, 0);
  const entry = await postEvent(
    tx,
    actor,
    'counter_document',
    {
      memo,
      party,
      revenue: [{ account: 'sales', cents: itemGross }],
      discountCents: doc.discountCents,
      tax: doc.taxes.filter((t) => t.taxCents !== 0).map((t) => ({ memo: `${memo}: tax ${t.className} — ${t.componentName}`, cents: t.taxCents })),
      liabilities,
      tenders: journalTenders,
      roundingCents: applied.roundingCents,
      cogs,
    },
    // Dated the store's business day from the injected clock, like the document (not the database's today).
    { sourceType: 'sale', sourceId: saleId, memo, date: ctx.today },
  );

  await tx.insert(sales).values({
    id: saleId,
    number,
    kind,
    registerId: session?.registerId ?? null,
    registerSessionId: session?.id ?? null,
    accountId: doc.account?.id ?? null,
    businessDate: ctx.today,
    grossCents: doc.grossCents,
    discountCents: doc.discountCents,
    netCents: doc.netCents,
    taxCents: doc.taxCents,
    totalCents: doc.totalCents,
    changeCents: applied.changeCents,
    roundingCents: applied.roundingCents,
    taxExemptCertificate: doc.exemptCertificate,
    note: opts.note,
    journalEntryId: entry?.id ?? null,
    cashierUserId: actor.userId,
    cashierLabel: actor.label,
  });
  await tx.insert(saleLines).values(
    doc.lines.map((l, i) => ({
      id: lineIds[i],
      saleId,
      lineNo: i + 1,
      kind: l.kind,
      productId: l.productId,
      unitId: l.unitId,
      description: l.description.slice(0, 300),
      sku: l.sku,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      grossCents: l.grossCents,
      lineDiscountCents: l.lineDiscountCents,
      orderDiscountCents: l.orderDiscountCents,
      netCents: l.netCents,
      taxCents: l.taxCents,
      taxClassId: l.taxClassId,
      costCents: l.kind === 'item' && l.productKind !== 'service' && l.productKind !== 'non_inventory' ? (l.unitCostCents ?? 0) : null,
      refType: l.kind === 'item' ? null : l.kind,
      refId: l.refId,
    })),
  );
  if (doc.taxes.length) await tx.insert(saleTaxes).values(doc.taxes.map((t) => ({ saleId, ...t })));
  if (doc.discounts.length) {
    await tx.insert(saleDiscounts).values(
      doc.discounts.map((d) => ({
        saleId,
        saleLineId: d.lineIndex === null ? null : lineIds[d.lineIndex],
        namedDiscountId: d.namedDiscountId,
        label: d.label,
        kind: d.kind,
        percentMillipercent: d.percentMillipercent,
        amountCents: d.amountCents,
        appliedByUserId: actor.userId,
        appliedByLabel: actor.label,
        approvedByUserId: d.approvedBy?.userId ?? null,
        approvedByLabel: d.approvedBy?.label ?? null,
        approvalReasons: d.approvalReasons,
      })),
    );
  }
  if (tenderRows.length) await tx.insert(saleTenders).values(tenderRows);
  if (movements.length) await tx.insert(drawerMovements).values(movements.map((m) => ({ ...m, journalEntryId: entry?.id ?? null })));
  await recordAudit(tx, actor, { action: `${kind}.complete`, entityType: 'sale', entityId: saleId, summary: `${number}: ${formatCents(doc.totalCents)}${doc.account ? ` — ${doc.account.name}` : ''}`, after: { number, total_cents: doc.totalCents, tenders: tenderRows.map((t) => ({ method: t.method, amount_cents: t.amountCents })) } });
  return saleId;
}

