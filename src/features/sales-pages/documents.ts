import { and, eq, inArray, ne } from 'drizzle-orm';
import { accounts, drawerSessions, invoices, registers, sales } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { formatMillipercent } from '../../domain/rounding';
import { saleView, type SaleView } from '../sales/queries';
import { TENDER_LABELS } from '../sales/checkout';
import type { TenderMethod } from '../../db/schema';

/**
 * What the sale pages (detail, receipt slip, letter invoice) show of one counter document, computed once from
 * saleView: lines with their own discounts, order discounts, tax grouped by class (with its components), tender
 * labels, the register/session and customer, and whether the document can still be returned or voided (the
 * same preconditions returns.ts and void.ts enforce, so the page can say why before anyone tries).
 */

export const KIND_LABELS: Record<string, string> = { sale: 'Sale', return: 'Return', payment: 'Payment' };
const LINE_KIND_NOTES: Record<string, string> = { gift_card: 'Gift card', account_payment: 'Payment on account', layaway_payment: 'Layaway payment', special_order_deposit: 'Special-order deposit' };

export interface DocLine {
  id: string;
  lineNo: number;
  kind: string;
  kindNote: string | null;
  description: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  grossCents: number;
  /** Discounts that reduced this line (line discounts; the order discount share is in orderShareCents). */
  discounts: { label: string; amountCents: number }[];
  /** Notes about the price that are not amounts off the line (a price override below list). */
  priceNotes: string[];
  lineDiscountCents: number;
  orderShareCents: number;
  netCents: number;
  taxCents: number;
  returnedQuantity: number;
  /** Units that can still come back (items of a completed sale). */
  returnableQuantity: number;
  restock: boolean | null;
}

export interface TaxClassRow {
  className: string;
  rateMillipercent: number;
  rateLabel: string;
  netCents: number;
  taxCents: number;
  components: { name: string; rateLabel: string; taxCents: number }[];
}

export interface TenderRow {
  method: string;
  label: string;
  reference: string;
  /** What the printed slip shows: a gift card's number is masked (the slip could spend it otherwise). */
  slipReference: string;
  tenderedCents: number;
  amountCents: number;
  changeCents: number;
}

export interface Verdict {
  ok: boolean;
  reason: string;
}

export interface DocumentModel {
  view: SaleView;
  id: string;
  number: string;
  kind: string;
  kindLabel: string;
  voided: boolean;
  registerName: string | null;
  session: { id: string; number: string; status: string } | null;
  account: { id: string; name: string; number: string; phone: string | null; email: string | null; addressLines: string[] } | null;
  lines: DocLine[];
  orderDiscounts: { label: string; amountCents: number }[];
  discountRows: { label: string; kind: string; amountCents: number; lineDescription: string | null; appliedBy: string; approvedBy: string | null; reasons: string[] }[];
  taxClasses: TaxClassRow[];
  tenders: TenderRow[];
  /** Invoices a charge-to-account tender opened (number), for the letter invoice. */
  chargedInvoices: string[];
  returnable: Verdict;
  voidable: Verdict;
}

const discountLabel = (d: { label: string; kind: string; percentMillipercent: number | null }) => (d.kind === 'percent' && d.percentMillipercent ? `${d.label} ${formatMillipercent(d.percentMillipercent)}` : d.label);

export function tenderLabel(method: string, amountCents: number): string {
  const base = TENDER_LABELS[method as TenderMethod] ?? method;
  return amountCents < 0 ? `${base} refund` : base;
}

export async function documentModel(db: DbOrTx, idOrNumber: string, today: string): Promise<DocumentModel> {
  const view = await saleView(db, idOrNumber);
  const s = view.sale;
  const invoiceIds = view.tenders.map((t) => t.invoiceId).filter((x): x is string => !!x);
  const [reg, session, account, openReturns, charged] = await Promise.all([
    s.registerId ? db.select({ name: registers.name }).from(registers).where(eq(registers.id, s.registerId)) : Promise.resolve([]),
    s.registerSessionId ? db.select({ id: drawerSessions.id, number: drawerSessions.number, status: drawerSessions.status }).from(drawerSessions).where(eq(drawerSessions.id, s.registerSessionId)) : Promise.resolve([]),
    s.accountId ? db.select().from(accounts).where(eq(accounts.id, s.accountId)) : Promise.resolve([]),
    db.select({ number: sales.number }).from(sales).where(and(eq(sales.originalSaleId, s.id), ne(sales.status, 'voided'))),
    invoiceIds.length ? db.select({ id: invoices.id, number: invoices.number }).from(invoices).where(inArray(invoices.id, invoiceIds)) : Promise.resolve([] as { id: string; number: string }[]),
  ]);
  const completedSale = s.kind === 'sale' && s.status === 'completed';

  const lines: DocLine[] = view.lines.map((l) => {
    const own = view.discounts.filter((d) => d.saleLineId === l.id);
    return {
      id: l.id,
      lineNo: l.lineNo,
      kind: l.kind,
      kindNote: LINE_KIND_NOTES[l.kind] ?? null,
      description: l.description,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      grossCents: l.grossCents,
      discounts: own.filter((d) => d.kind !== 'price_override').map((d) => ({ label: discountLabel(d), amountCents: d.amountCents })),
      priceNotes: own.filter((d) => d.kind === 'price_override').map((d) => d.label),
      lineDiscountCents: l.lineDiscountCents,
      orderShareCents: l.orderDiscountCents,
      netCents: l.netCents,
      taxCents: l.taxCents,
      returnedQuantity: l.returnedQuantity,
      returnableQuantity: completedSale && l.kind === 'item' ? Math.max(0, l.quantity - l.returnedQuantity) : 0,
      restock: l.restock,
    };
  });

  const byClass = new Map<string, TaxClassRow>();
  for (const t of view.taxes) {
    const key = t.taxClassId ?? t.className;
    const row = byClass.get(key) ?? { className: t.className, rateMillipercent: 0, rateLabel: '', netCents: t.netCents, taxCents: 0, components: [] };
    row.rateMillipercent += t.rateMillipercent;
    row.taxCents += t.taxCents;
    row.components.push({ name: t.componentName, rateLabel: formatMillipercent(t.rateMillipercent), taxCents: t.taxCents });
    byClass.set(key, row);
  }
  const taxClasses = [...byClass.values()].map((r) => ({ ...r, rateLabel: formatMillipercent(r.rateMillipercent) }));

  const invoiceNumbers = new Map(charged.map((i) => [i.id, i.number]));
  const tenders: TenderRow[] = view.tenders.map((t) => {
    const reference = t.reference || (t.invoiceId ? invoiceNumbers.get(t.invoiceId) ?? '' : '');
    return {
      method: t.method,
      label: tenderLabel(t.method, t.amountCents),
      reference,
      slipReference: t.method === 'gift_card' && reference.length > 4 ? `•••• ${reference.slice(-4)}` : reference,
      tenderedCents: t.tenderedCents,
      amountCents: t.amountCents,
      changeCents: t.changeCents,
    };
  });

  const a = account[0];
  const lineOf = new Map(view.lines.map((l) => [l.id, l.description]));
  const sess = session[0] ?? null;

  let returnable: Verdict = { ok: true, reason: '' };
  if (s.kind !== 'sale') returnable = { ok: false, reason: `${s.number} is a ${s.kind}; only sales can be returned.` };
  else if (s.status !== 'completed') returnable = { ok: false, reason: `${s.number} was voided; there is nothing to return.` };
  else if (!lines.some((l) => l.returnableQuantity > 0)) returnable = { ok: false, reason: lines.some((l) => l.kind === 'item') ? `Everything on ${s.number} has already been returned.` : `${s.number} has no items to return.` };

  let voidable: Verdict = { ok: true, reason: '' };
  if (s.kind !== 'sale') voidable = { ok: false, reason: `${s.number} is a ${s.kind}; only sales can be voided.` };
  else if (s.status === 'voided') voidable = { ok: false, reason: `${s.number} is already voided.` };
  else if (sess && sess.status !== 'open') voidable = { ok: false, reason: `${s.number}'s drawer session ${sess.number} is closed; return the items instead of voiding.` };
  else if (!sess && s.businessDate !== today) voidable = { ok: false, reason: `${s.number} is from ${s.businessDate}; only today's sales can be voided — return the items instead.` };
  else if (openReturns.length) voidable = { ok: false, reason: `${s.number} has a return (${openReturns[0].number}); it can't be voided — return the rest instead.` };
  else if (view.lines.some((l) => l.kind === 'account_payment')) voidable = { ok: false, reason: `${s.number} took a payment on account; refund it instead of voiding.` };

  return {
    view,
    id: s.id,
    number: s.number,
    kind: s.kind,
    kindLabel: KIND_LABELS[s.kind] ?? s.kind,
    voided: s.status === 'voided',
    registerName: reg[0]?.name ?? null,
    session: sess,
    account: a
      ? {
          id: a.id,
          name: a.name,
          number: a.number,
          phone: a.phone,
          email: a.email,
          addressLines: [a.addressLine1, a.addressLine2, [a.city, [a.region, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ')].filter((x) => x && x.trim()),
        }
      : null,
    lines,
    orderDiscounts: view.discounts.filter((d) => d.saleLineId === null).map((d) => ({ label: discountLabel(d), amountCents: d.amountCents })),
    discountRows: view.discounts.map((d) => ({ label: discountLabel(d), kind: d.kind, amountCents: d.amountCents, lineDescription: d.saleLineId ? lineOf.get(d.saleLineId) ?? null : null, appliedBy: d.appliedByLabel, approvedBy: d.approvedByLabel, reasons: d.approvalReasons })),
    taxClasses,
    tenders,
    chargedInvoices: view.tenders.filter((t) => t.invoiceId).map((t) => invoiceNumbers.get(t.invoiceId!) ?? '').filter(Boolean),
    returnable,
    voidable,
  };
}
