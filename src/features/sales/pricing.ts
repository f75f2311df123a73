import { and, eq, gte, inArray } from 'drizzle-orm';
import { accounts, inventoryUnits, namedDiscounts, products, taxExemptions, trials, type SaleLineKind } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { listTaxClasses, type TaxClassView } from '../inventory/tax-classes';
import { ConflictError, ValidationError } from '../service-errors';
import { discountNeedsApproval, lineGrossCents, priceOrder, type DiscountSpec } from '../../domain/discounts';
import { computeDocumentTax } from '../../domain/tax';
import { formatCents } from '../../domain/money';
import { approverFor, type ApprovalRequest, type Approver, type SaleContext } from './context';
import type { SaleInput, SaleLineInput } from './schemas';

/**
 * Turns what the cashier rang up into a priced document (pos.md "The sale screen", "Tax"): resolves products
 * and units, prices lines with their discounts (src/domain/discounts.ts), spreads the order discount, checks
 * discount limits and minimum prices (a manager's PIN when needed), and computes tax per class on the
 * discounted nets (src/domain/tax.ts). Nothing is written; checkout stores the result as it is.
 */

export type Account = typeof accounts.$inferSelect;

export interface PricedSaleLine {
  kind: SaleLineKind;
  productId: string | null;
  unitId: string | null;
  /** The unit's status before the sale (available, or on_trial when a trial converts). */
  unitStatus: string | null;
  productKind: string | null;
  productRentable: boolean;
  description: string;
  sku: string;
  quantity: number;
  unitPriceCents: number;
  grossCents: number;
  lineDiscountCents: number;
  orderDiscountCents: number;
  netCents: number;
  taxCents: number;
  taxClassId: string | null;
  /** Serialized units: their cost (known before the sale). Stock: filled by checkout from the stock ledger. */
  unitCostCents: number | null;
  /** Non-item lines: the gift card number, the layaway / special order id. */
  giftCardNumber: string | null;
  refId: string | null;
  invoiceIds: string[];
}

export interface PricedDiscount {
  /** Index of the line (null: order discount). */
  lineIndex: number | null;
  namedDiscountId: string | null;
  label: string;
  kind: 'percent' | 'amount' | 'price_override';
  percentMillipercent: number | null;
  amountCents: number;
  approvedBy: Approver | null;
  approvalReasons: string[];
}

export interface PricedTax {
  taxClassId: string;
  className: string;
  componentCode: string;
  componentName: string;
  rateMillipercent: number;
  netCents: number;
  taxCents: number;
}

export interface PricedSale {
  account: Account | null;
  exemptCertificate: string | null;
  lines: PricedSaleLine[];
  discounts: PricedDiscount[];
  taxes: PricedTax[];
  grossCents: number;
  discountCents: number;
  netCents: number;
  taxCents: number;
  totalCents: number;
}

export async function loadAccount(db: DbOrTx, accountId: string | null | undefined): Promise<Account | null> {
  if (!accountId) return null;
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!row) throw new ValidationError({ account_id: 'No such customer account.' });
  return row;
}

/** The certificate that exempts an account today (approved, not expired), or null. */
export async function activeExemption(db: DbOrTx, accountId: string, today: string): Promise<string | null> {
  const [row] = await db
    .select({ n: taxExemptions.certificateNumber })
    .from(taxExemptions)
    .where(and(eq(taxExemptions.accountId, accountId), eq(taxExemptions.status, 'approved'), gte(taxExemptions.expiresOn, today)))
    .limit(1);
  return row?.n ?? null;
}

/** The class a product's line is taxed in: its own, else the store's default, else an untaxed placeholder. */
function classFor(classes: TaxClassView[], taxClassId: string | null): TaxClassView | null {
  return classes.find((c) => c.id === taxClassId) ?? classes.find((c) => c.isDefault) ?? null;
}

const lineField = (i: number, name: string) => `lines.${i}.${name}`;

interface ResolvedItem {
  index: number;
  input: SaleLineInput;
  product: typeof products.$inferSelect;
  unit: typeof inventoryUnits.$inferSelect | null;
  listPriceCents: number;
  unitPriceCents: number;
  lineDiscount: (DiscountSpec & { namedDiscountId: string | null; label: string }) | null;
}

async function namedDiscountSpec(db: DbOrTx, id: string, field: string) {
  const [d] = await db.select().from(namedDiscounts).where(eq(namedDiscounts.id, id));
  if (!d || !d.active) throw new ValidationError({ [field]: 'No such active named discount.' });
  return d.kind === 'percent'
    ? { kind: 'percent' as const, percentMillipercent: d.percentMillipercent!, namedDiscountId: d.id, label: d.name }
    : { kind: 'amount' as const, amountCents: d.amountCents!, namedDiscountId: d.id, label: d.name };
}

function adHocSpec(input: { discount_cents?: number; discount_percent_millipercent?: number }, field: string) {
  if (input.discount_cents !== undefined && input.discount_percent_millipercent !== undefined) throw new ValidationError({ [field]: 'Give a discount as an amount or a percent, not both.' });
  if (input.discount_cents) return { kind: 'amount' as const, amountCents: input.discount_cents, namedDiscountId: null, label: 'Discount' };
  if (input.discount_percent_millipercent) return { kind: 'percent' as const, percentMillipercent: input.discount_percent_millipercent, namedDiscountId: null, label: 'Discount' };
  return null;
}

/** Products and units of the item lines, loaded in two queries; units are locked (checkout sells them). */
async function resolveItems(tx: Tx, input: SaleInput, account: Account | null): Promise<ResolvedItem[]> {
  const itemInputs = input.lines.map((l, index) => ({ l, index })).filter(({ l }) => (l.kind ?? 'item') === 'item');
  const unitIds = itemInputs.map(({ l }) => l.unit_id).filter((x): x is string => !!x);
  if (new Set(unitIds).size !== unitIds.length) throw new ValidationError({ lines: 'The same unit is on the sale twice.' });
  const units = unitIds.length ? await tx.select().from(inventoryUnits).where(inArray(inventoryUnits.id, unitIds)).orderBy(inventoryUnits.id).for('update') : [];
  const productIds = [...new Set([...itemInputs.map(({ l }) => l.product_id).filter((x): x is string => !!x), ...units.map((u) => u.productId)])];
  const prods = productIds.length ? await tx.select().from(products).where(inArray(products.id, productIds)) : [];
  const out: ResolvedItem[] = [];
  for (const { l, index } of itemInputs) {
    let unit: (typeof units)[number] | null = null;
    if (l.unit_id) {
      unit = units.find((u) => u.id === l.unit_id) ?? null;
      if (!unit) throw new ValidationError({ [lineField(index, 'unit_id')]: 'No such unit.' });
    }
    const productId = unit?.productId ?? l.product_id;
    if (!productId) throw new ValidationError({ [lineField(index, 'product_id')]: 'Each line needs a product or a unit.' });
    if (unit && l.product_id && l.product_id !== unit.productId) throw new ValidationError({ [lineField(index, 'unit_id')]: 'That unit is not of the line\'s product.' });
    const product = prods.find((p) => p.id === productId);
    if (!product) throw new ValidationError({ [lineField(index, 'product_id')]: 'No such product.' });
    if (!product.isActive || !product.sellable) throw new ValidationError({ [lineField(index, 'product_id')]: `${product.sku} is not for sale.` });
    const quantity = l.quantity ?? 1;
    if (product.kind === 'serialized') {
      if (!unit) throw new ValidationError({ [lineField(index, 'unit_id')]: `${product.sku} is serialized: scan or choose the unit's serial number.` });
      if (quantity !== 1) throw new ValidationError({ [lineField(index, 'quantity')]: 'A serialized unit is sold one at a time.' });
      if (!account) throw new ValidationError({ account_id: 'A serialized sale needs a customer account (warranty and passport).' });
      if (unit.status === 'on_trial') {
        const [trial] = await tx.select({ accountId: trials.accountId }).from(trials).where(and(eq(trials.unitId, unit.id), eq(trials.status, 'out')));
        if (!trial || trial.accountId !== account.id) throw new ConflictError(`Unit ${unit.serialNumber} is on trial with another customer.`, { [lineField(index, 'unit_id')]: 'On trial with another customer.' });
      } else if (unit.status !== 'available') {
        throw new ConflictError(`Unit ${unit.serialNumber} is ${unit.status.replace('_', ' ')}, not available.`, { [lineField(index, 'unit_id')]: `This unit is ${unit.status.replace('_', ' ')}.` });
      }
    } else if (unit) {
      throw new ValidationError({ [lineField(index, 'unit_id')]: 'Only serialized products have units.' });
    }
    const listPriceCents = product.priceCents;
    const unitPriceCents = l.unit_price_cents ?? listPriceCents;
    const named = l.named_discount_id ? await namedDiscountSpec(tx, l.named_discount_id, lineField(index, 'named_discount_id')) : null;
    const adHoc = adHocSpec(l, lineField(index, 'discount_cents'));
    if (named && adHoc) throw new ValidationError({ [lineField(index, 'discount_cents')]: 'Give a named discount or an ad hoc one, not both.' });
    out.push({ index, input: l, product, unit, listPriceCents, unitPriceCents, lineDiscount: named ?? adHoc });
  }
  return out;
}

/**
 * Prices a sale. `approval` (a manager's username + PIN) is used only when a discount or price needs it; the
 * approver is recorded on each discount that needed them.
 */
export async function priceSale(tx: Tx, ctx: SaleContext, input: SaleInput, userLimitMillipercent: number): Promise<PricedSale> {
  const account = await loadAccount(tx, input.account_id);
  const exemptCertificate = account ? await activeExemption(tx, account.id, ctx.today) : null;
  const items = await resolveItems(tx, input, account);
  const classes = await listTaxClasses(tx);

  let priced;
  const od = input.order_discount;
  if (od?.named_discount_id && (od.amount_cents !== undefined || od.percent_millipercent !== undefined)) throw new ValidationError({ order_discount: 'Give a named discount or an ad hoc one, not both.' });
  const orderSpec = input.order_discount
    ? input.order_discount.named_discount_id
      ? await namedDiscountSpec(tx, input.order_discount.named_discount_id, 'order_discount')
      : adHocSpec({ discount_cents: input.order_discount.amount_cents, discount_percent_millipercent: input.order_discount.percent_millipercent }, 'order_discount')
    : null;
  try {
    priced = priceOrder(
      items.map((it) => ({ grossCents: lineGrossCents(it.unitPriceCents, it.input.quantity ?? 1), lineDiscount: it.lineDiscount })),
      orderSpec,
    );
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError({ lines: err.message });
    throw err;
  }

  // Approvals: each discount on its own base (the user's limit), every line's final net against its minimum.
  const discounts: PricedDiscount[] = [];
  const minLine = (it: ResolvedItem, i: number) => ({ netCents: priced.lines[i].netCents, quantity: it.input.quantity ?? 1, minUnitPriceCents: it.product.minPriceCents });
  const needs: { discount: PricedDiscount; reasons: string[] }[] = [];
  items.forEach((it, i) => {
    const q = it.input.quantity ?? 1;
    const overrideCents = it.unitPriceCents < it.listPriceCents ? (it.listPriceCents - it.unitPriceCents) * q : 0;
    if (overrideCents > 0) {
      const d: PricedDiscount = { lineIndex: it.index, namedDiscountId: null, label: `Price override (list ${formatCents(it.listPriceCents)})`, kind: 'price_override', percentMillipercent: null, amountCents: overrideCents, approvedBy: null, approvalReasons: [] };
      discounts.push(d);
      const check = discountNeedsApproval({ baseCents: it.listPriceCents * q, discountCents: overrideCents, userLimitMillipercent, lines: [minLine(it, i)] });
      if (check.needsApproval) needs.push({ discount: d, reasons: check.reasons });
    }
    if (it.lineDiscount && priced.lines[i].lineDiscountCents > 0) {
      const d: PricedDiscount = {
        lineIndex: it.index,
        namedDiscountId: it.lineDiscount.namedDiscountId,
        label: it.lineDiscount.label,
        kind: it.lineDiscount.kind,
        percentMillipercent: it.lineDiscount.kind === 'percent' ? it.lineDiscount.percentMillipercent : null,
        amountCents: priced.lines[i].lineDiscountCents,
        approvedBy: null,
        approvalReasons: [],
      };
      discounts.push(d);
      const check = discountNeedsApproval({ baseCents: priced.lines[i].grossCents, discountCents: d.amountCents, userLimitMillipercent, lines: [minLine(it, i)] });
      if (check.needsApproval) needs.push({ discount: d, reasons: check.reasons });
    }
  });
  if (orderSpec && priced.orderDiscountCents > 0) {
    const d: PricedDiscount = {
      lineIndex: null,
      namedDiscountId: orderSpec.namedDiscountId,
      label: orderSpec.label === 'Discount' ? 'Order discount' : orderSpec.label,
      kind: orderSpec.kind,
      percentMillipercent: orderSpec.kind === 'percent' ? orderSpec.percentMillipercent : null,
      amountCents: priced.orderDiscountCents,
      approvedBy: null,
      approvalReasons: [],
    };
    discounts.push(d);
    const check = discountNeedsApproval({ baseCents: priced.subtotalCents, discountCents: d.amountCents, userLimitMillipercent, lines: items.map(minLine) });
    if (check.needsApproval) needs.push({ discount: d, reasons: check.reasons });
  }
  if (needs.length) {
    const reasons = [...new Set(needs.flatMap((n) => n.reasons))];
    const approver = await approverFor(ctx, 'pos.discount.override', input.approval as ApprovalRequest | undefined, reasons.includes('below_minimum_price') ? 'A price below the minimum' : 'A discount above your limit', reasons);
    for (const n of needs) {
      n.discount.approvedBy = approver;
      n.discount.approvalReasons = n.reasons;
    }
  }

  // Tax per class on the discounted nets; an untaxed placeholder class for products with none and no default.
  const UNTAXED = '00000000-0000-0000-0000-000000000000';
  const itemClasses = items.map((it) => classFor(classes, it.product.taxClassId));
  let docTax;
  try {
    docTax = computeDocumentTax({
      lines: items.map((it, i) => ({ netCents: priced.lines[i].netCents, taxClassId: itemClasses[i]?.id ?? UNTAXED })),
      classes: [...classes.map((c) => ({ id: c.id, components: c.components.map((k) => ({ code: k.id, rateMillipercent: k.rateMillipercent })) })), { id: UNTAXED, components: [] }],
      exempt: exemptCertificate !== null,
    });
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError({ lines: err.message });
    throw err;
  }
  const taxes: PricedTax[] = docTax.classes.flatMap((c) => {
    const cls = classes.find((k) => k.id === c.taxClassId);
    if (!cls) return [];
    return c.components.map((k) => ({
      taxClassId: cls.id,
      className: cls.name,
      componentCode: k.code,
      componentName: cls.components.find((x) => x.id === k.code)?.name ?? cls.name,
      rateMillipercent: k.rateMillipercent,
      netCents: c.netCents,
      taxCents: k.taxCents,
    }));
  });

  const lines: PricedSaleLine[] = input.lines.map((l, index) => {
    const kind = (l.kind ?? 'item') as SaleLineKind;
    if (kind === 'item') {
      const i = items.findIndex((it) => it.index === index);
      const it = items[i];
      return {
        kind,
        productId: it.product.id,
        unitId: it.unit?.id ?? null,
        unitStatus: it.unit?.status ?? null,
        productKind: it.product.kind,
        productRentable: it.product.rentable,
        description: it.unit ? `${it.product.name} #${it.unit.serialNumber}` : it.product.name,
        sku: it.product.sku,
        quantity: l.quantity ?? 1,
        unitPriceCents: it.unitPriceCents,
        grossCents: priced.lines[i].grossCents,
        lineDiscountCents: priced.lines[i].lineDiscountCents,
        orderDiscountCents: priced.lines[i].orderDiscountCents,
        netCents: priced.lines[i].netCents,
        taxCents: docTax.lines[i].taxCents,
        taxClassId: itemClasses[i]?.id ?? null,
        unitCostCents: it.unit ? it.unit.costCents : null,
        giftCardNumber: null,
        refId: null,
        invoiceIds: [],
      };
    }
    const amount = l.amount_cents;
    if (!amount || amount <= 0) throw new ValidationError({ [lineField(index, 'amount_cents')]: 'Enter an amount more than $0.00.' });
    if ((kind === 'account_payment' || kind === 'layaway_payment' || kind === 'special_order_deposit') && !account) throw new ValidationError({ account_id: 'Attach the customer account first.' });
    if ((kind === 'layaway_payment' || kind === 'special_order_deposit') && !l.ref_id) throw new ValidationError({ [lineField(index, 'ref_id')]: 'Say which layaway or special order this pays.' });
    const description = { gift_card: 'Gift card', account_payment: 'Payment on account', layaway_payment: 'Layaway payment', special_order_deposit: 'Special-order deposit', item: '' }[kind];
    return {
      kind,
      productId: null,
      unitId: null,
      unitStatus: null,
      productKind: null,
      productRentable: false,
      description,
      sku: '',
      quantity: 1,
      unitPriceCents: amount,
      grossCents: amount,
      lineDiscountCents: 0,
      orderDiscountCents: 0,
      netCents: amount,
      taxCents: 0,
      taxClassId: null,
      unitCostCents: null,
      giftCardNumber: l.gift_card_number ?? null,
      refId: l.ref_id ?? null,
      invoiceIds: l.invoice_ids ?? [],
    };
  });

  const grossCents = lines.reduce((s, l) => s + l.grossCents, 0);
  const discountCents = lines.reduce((s, l) => s + l.lineDiscountCents + l.orderDiscountCents, 0);
  const taxCents = lines.reduce((s, l) => s + l.taxCents, 0);
  return { account, exemptCertificate, lines, discounts, taxes, grossCents, discountCents, netCents: grossCents - discountCents, taxCents, totalCents: grossCents - discountCents + taxCents };
}
