import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { drawerMovements, inventoryUnits, invoices, products, saleLines, sales, saleTaxes, saleTenders, type TenderMethod } from '../../db/schema';
import type { Tx } from '../../db/client';
import { recordAudit } from '../audit/service';
import { ConflictError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { getStoreSettings } from '../settings/service';
import { recordStockMovement } from '../inventory/stock-ledger';
import { transitionUnit } from '../inventory/unit-lifecycle';
import { listTaxClasses } from '../inventory/tax-classes';
import { postEvent } from '../ledger/journal';
import { unitAssetAccount, type AssetAccount, type CounterDocumentPayload } from '../ledger/posting-rules';
import { refundForReturn, restockCostCents } from '../../domain/returns';
import { defaultRefundTenders, type TenderKind } from '../../domain/tenders';
import { computeDocumentTax, splitTaxToComponents } from '../../domain/tax';
import { daysBetween } from '../../domain/business-date';
import { formatCents } from '../../domain/money';
import { approverFor, type Approver, type SaleContext } from './context';
import { findSale, returnedQuantities } from './queries';
import type { NoReceiptReturnInput, ReturnInput } from './schemas';
import { TENDER_ACCOUNTS, TENDER_LABELS, lockStockProducts, openSessionFor } from './checkout';
import { changeStoreCredit, creditGiftCard, lockGiftCards } from './stored-value';
import { allocateToInvoices } from './invoices';
import { activeExemption, loadAccount } from './pricing';

/**
 * Returns (pos.md "After the sale", "Tax"): partial returns refund the prorated recorded net and tax
 * (src/domain/returns.ts), back to the original tenders in reverse order (src/domain/tenders.ts) unless a
 * manager chooses otherwise; goods are restocked at the sale line's recorded cost or sent to repair/damaged.
 * A return is its own document (R-000001) with negative amounts and one journal entry: Dr Returns (net),
 * Dr Sales tax payable / Cr the refund tenders; restocked goods Dr Inventory / Cr COGS.
 */

interface RefundLine {
  originalLineId: string | null;
  productId: string | null;
  unitId: string | null;
  description: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  netCents: number; // negative
  taxCents: number; // negative
  taxClassId: string | null;
  costCents: number | null; // cost coming back (positive) or null
  restock: boolean;
}

interface RefundTender {
  method: TenderMethod;
  amountCents: number; // positive: what goes back
  originalTenderId: string | null;
  giftCardId: string | null;
  invoiceId: string | null;
  last4?: string | null;
  authCode?: string | null;
}

/** Refund tenders that only move value inside Forte (no cash leaves) need no drawer. */
const DRAWER_METHODS = new Set<TenderMethod>(['cash', 'check']);

async function recordReturnDocument(
  tx: Tx,
  ctx: SaleContext,
  args: { original: typeof sales.$inferSelect | null; accountId: string | null; lines: RefundLine[]; taxes: (typeof saleTaxes.$inferInsert)[]; tenders: RefundTender[]; sessionId: string | null; approver: Approver | null; note: string },
): Promise<string> {
  const { actor } = ctx;
  const session = await openSessionFor(tx, args.sessionId, args.tenders.some((t) => DRAWER_METHODS.has(t.method)));
  const returnId = randomUUID();
  const number = await nextInSeries(tx, 'return', 'R-');
  const account = args.accountId ? await loadAccount(tx, args.accountId) : null;
  const memo = `Return ${number}${args.original ? ` of ${args.original.number}` : ' (no receipt)'}${account ? ` — ${account.name}` : ''}`;
  const party = account ? { type: 'customer' as const, id: account.id } : null;

  // Goods coming back (stock products locked in id order first: see lockStockProducts).
  await lockStockProducts(tx, args.lines.map((l) => l.productId));
  const cogs: { asset: AssetAccount; cents: number }[] = [];
  for (const l of args.lines) {
    if (!l.productId) continue;
    const [product] = await tx.select({ kind: products.kind, rentable: products.rentable }).from(products).where(eq(products.id, l.productId));
    if (product.kind === 'stock' && l.restock) {
      const moved = await recordStockMovement(tx, actor, { productId: l.productId, quantityDelta: l.quantity, reason: 'return', ...(l.costCents !== null ? { totalCostCents: l.costCents } : {}), referenceType: 'sale', referenceId: returnId, note: number });
      l.costCents = moved.valueDeltaCents;
      if (moved.valueDeltaCents) cogs.push({ asset: 'inventory', cents: -moved.valueDeltaCents });
    } else if (product.kind === 'stock') {
      l.costCents = null; // damaged: stays expensed
    } else if (l.unitId) {
      const to = l.restock ? 'available' : 'in_repair';
      const unit = await transitionUnit(tx, actor, l.unitId, to, { expectedFrom: ['sold'], eventType: 'returned', summary: `Returned on ${number}${l.restock ? '' : ' (to repair / damaged)'}`, referenceType: 'sale', referenceId: returnId, journal: 'posted_by_caller' });
      const asset = unitAssetAccount(to, product.rentable);
      if (asset && unit.costCents) cogs.push({ asset, cents: -unit.costCents });
      l.costCents = unit.costCents;
    }
  }

  // Refund tenders (their gift cards locked in id order first, like a sale's).
  await lockGiftCards(tx, { ids: args.tenders.map((t) => t.giftCardId) });
  const movements: (typeof drawerMovements.$inferInsert)[] = [];
  const journalTenders: CounterDocumentPayload['tenders'] = [];
  const tenderRows: (typeof saleTenders.$inferInsert)[] = [];
  for (const t of args.tenders) {
    let method = t.method;
    let reference = '';
    let invoiceId: string | null = null;
    if (method === 'deposit') method = 'store_credit';
    if (method === 'cash' || method === 'check') {
      movements.push({ sessionId: session!.id, kind: method === 'cash' ? 'refund_cash' : 'check_refund', amountCents: t.amountCents, sourceType: 'sale', sourceId: returnId, byUserId: actor.userId, byLabel: actor.label, at: new Date(Date.now() + movements.length) });
    } else if (method === 'gift_card') {
      if (!t.giftCardId) throw new ValidationError({ tenders: 'A gift card refund goes back to the card the sale was paid with.' });
      await creditGiftCard(tx, actor, t.giftCardId, t.amountCents, { saleId: returnId, memo: number });
    } else if (method === 'store_credit') {
      if (!account) throw new ValidationError({ tenders: 'Store credit needs a customer account on the sale.' });
      await changeStoreCredit(tx, actor, account.id, t.amountCents, 'return', { saleId: returnId, sourceType: 'sale', sourceId: returnId, memo: number });
    } else if (method === 'account') {
      if (!account) throw new ValidationError({ tenders: 'A refund to the account needs the customer account.' });
      const { allocations, leftoverCents } = await allocateToInvoices(tx, account.id, t.amountCents, returnId, t.invoiceId ? await openIds(tx, [t.invoiceId]) : []);
      const allocated = t.amountCents - leftoverCents;
      invoiceId = allocations[0]?.invoiceId ?? null;
      reference = allocations.map((a) => a.invoiceNumber).join(', ');
      if (allocated) journalTenders.push({ account: 'accounts_receivable', cents: -allocated, memo: `${memo}: credited to ${reference}` });
      if (leftoverCents) {
        await changeStoreCredit(tx, actor, account.id, leftoverCents, 'return', { saleId: returnId, sourceType: 'sale', sourceId: returnId, memo: `${number}: charge already paid` });
        journalTenders.push({ account: 'store_credit_liability', cents: -leftoverCents, memo: `${memo}: store credit (charge already paid)` });
      }
    } else if (method === 'external_card') {
      reference = t.last4 ? `•••• ${t.last4}${t.authCode ? ` auth ${t.authCode}` : ''}` : 'refund on the terminal';
    } else if (method === 'card') {
      throw new ValidationError({ tenders: 'Card refunds through the processor are not set up yet; refund on the terminal (external_card) or choose another tender.' });
    }
    if (method !== 'account') journalTenders.push({ account: TENDER_ACCOUNTS[method], cents: -t.amountCents, memo: `${memo}: ${TENDER_LABELS[method]} refund` });
    tenderRows.push({ saleId: returnId, seq: tenderRows.length + 1, method, tenderedCents: -t.amountCents, amountCents: -t.amountCents, reference, giftCardId: t.giftCardId, invoiceId, originalTenderId: t.originalTenderId, last4: t.last4 ?? null, authCode: t.authCode ?? null });
  }

  const net = args.lines.reduce((s, l) => s + l.netCents, 0);
  const tax = args.lines.reduce((s, l) => s + l.taxCents, 0);
  const entry = await postEvent(
    tx,
    actor,
    'counter_document',
    {
      memo,
      party,
      revenue: [{ account: 'returns', cents: net }],
      discountCents: 0,
      tax: args.taxes.filter((t) => t.taxCents !== 0).map((t) => ({ memo: `${memo}: tax ${t.className} — ${t.componentName}`, cents: t.taxCents })),
      liabilities: [],
      tenders: journalTenders,
      roundingCents: 0,
      cogs,
    },
    { sourceType: 'sale', sourceId: returnId, memo, date: ctx.today },
  );
  await tx.insert(sales).values({
    id: returnId,
    number,
    kind: 'return',
    originalSaleId: args.original?.id ?? null,
    registerId: session?.registerId ?? null,
    registerSessionId: session?.id ?? null,
    accountId: account?.id ?? null,
    businessDate: ctx.today,
    grossCents: net,
    discountCents: 0,
    netCents: net,
    taxCents: tax,
    totalCents: net + tax,
    approvedByUserId: args.approver?.userId ?? null,
    approvedByLabel: args.approver?.label ?? null,
    note: args.note,
    journalEntryId: entry?.id ?? null,
    cashierUserId: actor.userId,
    cashierLabel: actor.label,
  });
  await tx.insert(saleLines).values(
    args.lines.map((l, i) => ({
      saleId: returnId,
      lineNo: i + 1,
      kind: 'item',
      productId: l.productId,
      unitId: l.unitId,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      grossCents: l.netCents,
      netCents: l.netCents,
      taxCents: l.taxCents,
      taxClassId: l.taxClassId,
      costCents: l.costCents,
      originalLineId: l.originalLineId,
      restock: l.restock,
    })),
  );
  if (args.taxes.length) await tx.insert(saleTaxes).values(args.taxes.map((t) => ({ ...t, saleId: returnId })));
  if (tenderRows.length) await tx.insert(saleTenders).values(tenderRows);
  if (movements.length) await tx.insert(drawerMovements).values(movements.map((m) => ({ ...m, journalEntryId: entry?.id ?? null })));
  await recordAudit(tx, actor, { action: 'return.complete', entityType: 'sale', entityId: returnId, summary: `${number}: refund ${formatCents(-(net + tax))}${args.original ? ` of ${args.original.number}` : ' without receipt'}${args.approver ? `, approved by ${args.approver.label}` : ''}`, after: { number, refund_cents: -(net + tax) } });
  return returnId;
}

async function openIds(tx: Tx, ids: string[]) {
  const rows = await tx.select({ id: invoices.id }).from(invoices).where(and(inArray(invoices.id, ids), sql`${invoices.balanceCents} > 0`));
  return rows.map((r) => r.id);
}

/** A return with the receipt: chosen lines and quantities of a completed sale. Returns the return's id. */
export async function createReturn(tx: Tx, ctx: SaleContext, saleIdOrNumber: string, input: ReturnInput): Promise<string> {
  const original = await findSale(tx, saleIdOrNumber, { lock: true });
  if (original.kind !== 'sale') throw new ConflictError(`${original.number} is not a sale; only sales can be returned.`);
  if (original.status !== 'completed') throw new ConflictError(`${original.number} was voided; there is nothing to return.`);
  const settings = await getStoreSettings(tx);
  const window = settings?.returnWindowDays ?? 30;
  let approver: Approver | null = null;
  if (window > 0 && daysBetween(original.businessDate, ctx.today) > window) {
    approver = await approverFor(ctx, 'pos.refund.override', input.approval, `${original.number} is past the ${window}-day return window; returning it`, ['past_return_window']);
  }

  const lines = await tx.select().from(saleLines).where(eq(saleLines.saleId, original.id)).orderBy(asc(saleLines.lineNo));
  const returned = await returnedQuantities(tx, lines.map((l) => l.id));
  const seen = new Set<string>();
  const refundLines: RefundLine[] = input.lines.map((r, i) => {
    const line = lines.find((l) => l.id === r.line_id);
    if (!line) throw new ValidationError({ [`lines.${i}.line_id`]: `That line is not on ${original.number}.` });
    if (seen.has(line.id)) throw new ValidationError({ [`lines.${i}.line_id`]: 'The same line is listed twice.' });
    seen.add(line.id);
    if (line.kind !== 'item') throw new ValidationError({ [`lines.${i}.line_id`]: `${line.description} can't be returned (not an item).` });
    const already = returned.get(line.id) ?? 0;
    let refund;
    try {
      refund = refundForReturn({ quantity: line.quantity, netCents: line.netCents, taxCents: line.taxCents, costCents: line.costCents, returnedQuantity: already }, r.quantity);
    } catch (err) {
      if (err instanceof RangeError) throw new ValidationError({ [`lines.${i}.quantity`]: `${line.description}: ${line.quantity - already} of ${line.quantity} can still be returned.` });
      throw err;
    }
    return {
      originalLineId: line.id,
      productId: line.productId,
      unitId: line.unitId,
      description: line.description,
      sku: line.sku,
      quantity: r.quantity,
      unitPriceCents: line.unitPriceCents,
      netCents: -refund.netCents,
      taxCents: -refund.taxCents,
      taxClassId: line.taxClassId,
      costCents: line.costCents === null ? null : restockCostCents(line.costCents, line.quantity, already, r.quantity),
      restock: r.restock ?? true,
    };
  });

  // A unit that is no longer sold (put back by a manager's override) can't come back again.
  const unitIds = refundLines.map((l) => l.unitId).filter((x): x is string => !!x);
  if (unitIds.length) {
    const back = await tx.select({ id: inventoryUnits.id, serial: inventoryUnits.serialNumber, status: inventoryUnits.status }).from(inventoryUnits).where(and(inArray(inventoryUnits.id, unitIds), sql`${inventoryUnits.status} <> 'sold'`));
    if (back.length) {
      const i = refundLines.findIndex((l) => l.unitId === back[0].id);
      throw new ConflictError(`Unit ${back[0].serial} is ${back[0].status.replace('_', ' ')}, not sold; it can't come back on this return.`, { [`lines.${i}.line_id`]: 'This unit is not sold any more.' });
    }
  }

  // Refunded tax per component: each class's refunded tax split by the original components' rates.
  const origTaxes = await tx.select().from(saleTaxes).where(eq(saleTaxes.saleId, original.id));
  const taxes: (typeof saleTaxes.$inferInsert)[] = [];
  for (const classId of [...new Set(refundLines.map((l) => l.taxClassId).filter((x): x is string => !!x))]) {
    const comps = origTaxes.filter((t) => t.taxClassId === classId);
    const classNet = refundLines.filter((l) => l.taxClassId === classId).reduce((s, l) => s + l.netCents, 0);
    const classTax = refundLines.filter((l) => l.taxClassId === classId).reduce((s, l) => s + l.taxCents, 0);
    if (comps.length === 0) continue;
    const split = splitTaxToComponents(classTax, comps.map((c) => ({ code: c.componentCode, rateMillipercent: c.rateMillipercent })));
    comps.forEach((c, k) => taxes.push({ saleId: '', taxClassId: classId, className: c.className, componentCode: c.componentCode, componentName: c.componentName, rateMillipercent: c.rateMillipercent, netCents: classNet, taxCents: split[k].taxCents }));
  }

  // Refund tenders: default = reverse order, each capped at what it paid less earlier refunds.
  const refundCents = -refundLines.reduce((s, l) => s + l.netCents + l.taxCents, 0);
  const origTenders = await tx.select().from(saleTenders).where(eq(saleTenders.saleId, original.id)).orderBy(asc(saleTenders.seq));
  const refundedRows = origTenders.length
    ? await tx
        .select({ id: saleTenders.originalTenderId, s: sql<string>`sum(-${saleTenders.amountCents})` })
        .from(saleTenders)
        .innerJoin(sales, eq(sales.id, saleTenders.saleId))
        .where(and(inArray(saleTenders.originalTenderId, origTenders.map((t) => t.id)), eq(sales.status, 'completed')))
        .groupBy(saleTenders.originalTenderId)
    : [];
  const refunded = new Map(refundedRows.map((r) => [r.id!, Number(r.s)]));
  const paid = origTenders.map((t) => ({ kind: t.method as TenderKind, paidCents: t.amountCents, refundedCents: Math.min(t.amountCents, refunded.get(t.id) ?? 0) }));
  let tenders: RefundTender[];
  const asOriginal = (index: number, amountCents: number): RefundTender => ({ method: origTenders[index].method as TenderMethod, amountCents, originalTenderId: origTenders[index].id, giftCardId: origTenders[index].giftCardId, invoiceId: origTenders[index].invoiceId, last4: origTenders[index].last4, authCode: null });
  if (!input.tenders || input.tenders.length === 0) {
    try {
      tenders = defaultRefundTenders(refundCents, paid).map((p) => asOriginal(p.index, p.amountCents));
    } catch (err) {
      if (err instanceof RangeError) throw new ValidationError({ tenders: `The original tenders can take back only part of ${formatCents(refundCents)}; a manager must choose the refund tenders.` });
      throw err;
    }
  } else {
    const given = input.tenders;
    if (given.filter((t) => t.amount_cents === undefined).length > 1) throw new ValidationError({ tenders: 'Only one refund tender may leave its amount out (it takes the rest).' });
    const fixed = given.reduce((s, t) => s + (t.amount_cents ?? 0), 0);
    if (fixed > refundCents) throw new ValidationError({ tenders: `The refund is ${formatCents(refundCents)}; the tenders add up to ${formatCents(fixed)}, more than was paid back.` });
    if (fixed < refundCents && given.every((t) => t.amount_cents !== undefined)) throw new ValidationError({ tenders: `The refund is ${formatCents(refundCents)}; the tenders add up to only ${formatCents(fixed)}.` });
    const used = new Map<number, number>();
    tenders = given.map((t) => {
      const amount = t.amount_cents ?? refundCents - fixed;
      if (amount <= 0) throw new ValidationError({ tenders: `The other refund tenders already add up to the refund (${formatCents(refundCents)}); remove the one without an amount.` });
      // Prefer giving back to an original tender of the same method, within what it can still take back.
      const idx = origTenders.findIndex((o, k) => o.method === t.method && paid[k].paidCents - (paid[k].refundedCents ?? 0) - (used.get(k) ?? 0) >= amount);
      if (idx >= 0) {
        used.set(idx, (used.get(idx) ?? 0) + amount);
        return { ...asOriginal(idx, amount), last4: t.last4 ?? origTenders[idx].last4, authCode: t.auth_code ?? null };
      }
      return { method: t.method, amountCents: amount, originalTenderId: null, giftCardId: null, invoiceId: null, last4: t.last4 ?? null, authCode: t.auth_code ?? null };
    });
    const isDefault = (() => {
      try {
        const d = defaultRefundTenders(refundCents, paid);
        return d.length === tenders.length && d.every((p, k) => tenders[k].originalTenderId === origTenders[p.index].id && tenders[k].amountCents === p.amountCents);
      } catch {
        return false;
      }
    })();
    if (!isDefault) approver = (await approverFor(ctx, 'pos.refund.override', input.approval, 'Refunding to other tenders than the original ones', ['refund_tender_override'])) ?? approver;
  }
  // A check is handed back only from the drawer still holding it: the sale's own session, the one this return
  // uses (open, or openSessionFor refuses). Once that drawer is closed the check has been counted and deposited:
  // the default refund of it is then cash; a manager's explicit check refund is refused.
  const checkStillHere = original.registerSessionId !== null && original.registerSessionId === (input.register_session_id ?? null);
  tenders.forEach((t, k) => {
    if (t.method !== 'check' || (checkStillHere && t.originalTenderId !== null)) return;
    if (input.tenders && input.tenders.length) throw new ValidationError({ [`tenders.${k}.method`]: 'Only a check taken in this drawer session can be handed back; refund cash, a card or store credit.' });
    t.method = 'cash';
  });
  return recordReturnDocument(tx, ctx, { original, accountId: original.accountId, lines: refundLines, taxes, tenders, sessionId: input.register_session_id ?? null, approver, note: input.note ?? '' });
}

/** A return without a receipt (pos.md): current price and tax rule, store credit only, a manager's approval. */
export async function createNoReceiptReturn(tx: Tx, ctx: SaleContext, input: NoReceiptReturnInput): Promise<string> {
  const approver = await approverFor(ctx, 'pos.refund.override', input.approval, 'A return without a receipt', ['no_receipt']);
  const account = await loadAccount(tx, input.account_id);
  if (!account) throw new ValidationError({ account_id: 'Store credit needs a customer account.' });
  const productIds = [...new Set(input.lines.map((l) => l.product_id))];
  const prods = await tx.select().from(products).where(inArray(products.id, productIds));
  const classes = await listTaxClasses(tx);
  const lines: RefundLine[] = [];
  for (const [i, l] of input.lines.entries()) {
    const p = prods.find((x) => x.id === l.product_id);
    if (!p) throw new ValidationError({ [`lines.${i}.product_id`]: 'No such product.' });
    if (p.kind === 'serialized') {
      if (!l.unit_id) throw new ValidationError({ [`lines.${i}.unit_id`]: 'Scan the returned unit\'s serial number.' });
      const [u] = await tx.select().from(inventoryUnits).where(eq(inventoryUnits.id, l.unit_id));
      if (!u || u.productId !== p.id) throw new ValidationError({ [`lines.${i}.unit_id`]: 'That unit is not of this product.' });
      if (u.status !== 'sold') throw new ConflictError(`Unit ${u.serialNumber} is ${u.status.replace('_', ' ')}, not sold; it can't come back as a return.`, { [`lines.${i}.unit_id`]: 'This unit is not sold.' });
      // Its sale is on record: return it from there, so the sale shows what came back (and can't be voided after).
      const [soldOn] = await tx
        .select({ number: sales.number })
        .from(saleLines)
        .innerJoin(sales, eq(sales.id, saleLines.saleId))
        .where(and(eq(saleLines.unitId, u.id), eq(sales.kind, 'sale'), eq(sales.status, 'completed'), sql`not exists (select 1 from sale_lines r join sales rs on rs.id = r.sale_id where r.original_line_id = ${saleLines.id} and rs.status = 'completed')`))
        .limit(1);
      if (soldOn) throw new ConflictError(`Unit ${u.serialNumber} was sold on ${soldOn.number}: return it from that sale (a manager can refund it as store credit there).`, { [`lines.${i}.unit_id`]: `Sold on ${soldOn.number}: return it with that receipt.` });
      if (l.quantity !== 1) throw new ValidationError({ [`lines.${i}.quantity`]: 'A serialized unit comes back one at a time.' });
    }
    const cls = classes.find((c) => c.id === p.taxClassId) ?? classes.find((c) => c.isDefault) ?? null;
    lines.push({ originalLineId: null, productId: p.id, unitId: l.unit_id ?? null, description: p.name, sku: p.sku, quantity: l.quantity, unitPriceCents: p.priceCents, netCents: -(p.priceCents * l.quantity), taxCents: 0, taxClassId: cls?.id ?? null, costCents: null, restock: l.restock ?? true });
  }
  const UNTAXED = '00000000-0000-0000-0000-000000000000';
  const exempt = (await activeExemption(tx, account.id, ctx.today)) !== null;
  const docTax = computeDocumentTax({
    lines: lines.map((l) => ({ netCents: l.netCents, taxClassId: l.taxClassId ?? UNTAXED })),
    classes: [...classes.map((c) => ({ id: c.id, components: c.components.map((k) => ({ code: k.id, rateMillipercent: k.rateMillipercent })) })), { id: UNTAXED, components: [] }],
    exempt,
  });
  docTax.lines.forEach((t, i) => (lines[i].taxCents = t.taxCents));
  const taxes: (typeof saleTaxes.$inferInsert)[] = docTax.classes.flatMap((c) => {
    const cls = classes.find((k) => k.id === c.taxClassId);
    return cls ? c.components.map((k) => ({ saleId: '', taxClassId: cls.id, className: cls.name, componentCode: k.code, componentName: cls.components.find((x) => x.id === k.code)?.name ?? cls.name, rateMillipercent: k.rateMillipercent, netCents: c.netCents, taxCents: k.taxCents })) : [];
  });
  const refund = -(docTax.netCents + docTax.taxCents);
  return recordReturnDocument(tx, ctx, { original: null, accountId: account.id, lines, taxes, tenders: refund > 0 ? [{ method: 'store_credit', amountCents: refund, originalTenderId: null, giftCardId: null, invoiceId: null }] : [], sessionId: input.register_session_id ?? null, approver, note: input.note ?? '' });
}
