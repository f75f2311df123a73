import { MAX_LINES, MAX_QUANTITY } from '../sales/schemas';
import { ConflictError, ValidationError } from '../service-errors';
import { formatCents } from '../../domain/money';
import { newLineId, type DraftData, type DraftDiscount, type DraftItemLine, type DraftTender } from './draft';
import type { Product, Unit } from './scan';

/**
 * Changes to a ticket's lines and tenders, as pure functions of its data (the routes run them inside
 * changeDraft). Each returns the new data, what to tell the cashier, and the line to select next.
 */

export interface LineChange {
  data: DraftData;
  message: string;
  selectLineId: string | null;
}

function assertSellable(product: Product) {
  if (!product.isActive || !product.sellable) throw new ValidationError({ code: `${product.sku} · ${product.name} is not for sale.` });
}

function assertRoom(data: DraftData) {
  if (data.lines.length >= MAX_LINES) throw new ValidationError({ code: `A sale has at most ${MAX_LINES} lines: finish this one and start another.` });
}

/** A stock (or service) product: the same product again adds 1 to its line instead of a new line. */
export function addProduct(data: DraftData, product: Product): LineChange {
  assertSellable(product);
  if (product.kind === 'serialized') throw new ValidationError({ code: `${product.sku} is serialized: scan or pick the unit's serial number.` });
  const existing = data.lines.find((l): l is DraftItemLine => l.kind === 'item' && l.product_id === product.id && l.unit_id === null);
  if (existing) {
    if (existing.quantity >= MAX_QUANTITY) throw new ValidationError({ code: `At most ${MAX_QUANTITY} of one line.` });
    const lines = data.lines.map((l) => (l === existing ? { ...existing, quantity: existing.quantity + 1 } : l));
    return { data: { ...data, lines }, message: `${product.name}: quantity ${existing.quantity + 1}.`, selectLineId: existing.id };
  }
  assertRoom(data);
  const line: DraftItemLine = {
    id: newLineId(),
    kind: 'item',
    product_id: product.id,
    unit_id: null,
    quantity: 1,
    unit_price_cents: null,
    discount: null,
    description: product.name,
    sku: product.sku,
    serial: null,
    list_price_cents: product.priceCents,
    product_kind: product.kind,
  };
  return { data: { ...data, lines: [...data.lines, line] }, message: `Added ${product.name} (${formatCents(product.priceCents)}).`, selectLineId: line.id };
}

/** One serialized unit (its own line, quantity 1). On trial units may convert to a sale for their customer. */
export function addUnit(data: DraftData, unit: Unit, product: Product): LineChange {
  assertSellable(product);
  if (unit.status !== 'available' && unit.status !== 'on_trial') {
    throw new ConflictError(`Unit ${unit.serialNumber} (${product.name}) is ${unit.status.replace('_', ' ')}, not available.`, { code: `Unit ${unit.serialNumber} is ${unit.status.replace('_', ' ')}.` });
  }
  if (data.lines.some((l) => l.kind === 'item' && l.unit_id === unit.id)) throw new ValidationError({ code: `Unit ${unit.serialNumber} is already on this sale.` });
  assertRoom(data);
  const line: DraftItemLine = {
    id: newLineId(),
    kind: 'item',
    product_id: product.id,
    unit_id: unit.id,
    quantity: 1,
    unit_price_cents: null,
    discount: null,
    description: product.name,
    sku: product.sku,
    serial: unit.serialNumber,
    list_price_cents: product.priceCents,
    product_kind: product.kind,
  };
  return { data: { ...data, lines: [...data.lines, line] }, message: `Added ${product.name} #${unit.serialNumber}.`, selectLineId: line.id };
}

export interface LineEdit {
  quantity: number;
  unitPriceCents: number | null;
  discount: DraftDiscount | null;
}

export function editLine(data: DraftData, lineId: string, edit: LineEdit): LineChange {
  const line = data.lines.find((l) => l.id === lineId);
  if (!line) throw new ConflictError('That line is no longer on the sale.');
  if (line.kind !== 'item') throw new ValidationError({ quantity: 'Only item lines have a quantity, price and discount; remove this line and add it again to change it.' });
  if (line.unit_id && edit.quantity !== 1) throw new ValidationError({ quantity: 'A serialized unit is sold one at a time.' });
  const updated: DraftItemLine = { ...line, quantity: edit.quantity, unit_price_cents: edit.unitPriceCents === line.list_price_cents ? null : edit.unitPriceCents, discount: edit.discount };
  return { data: { ...data, lines: data.lines.map((l) => (l.id === lineId ? updated : l)) }, message: `Updated ${line.description}.`, selectLineId: lineId };
}

export function removeLine(data: DraftData, lineId: string): LineChange {
  const index = data.lines.findIndex((l) => l.id === lineId);
  if (index < 0) throw new ConflictError('That line is no longer on the sale.');
  const line = data.lines[index];
  const lines = data.lines.filter((l) => l.id !== lineId);
  const label = line.kind === 'item' ? line.description : line.kind === 'gift_card' ? 'the gift card' : 'the payment on account';
  return { data: { ...data, lines }, message: `Removed ${label}.`, selectLineId: lines[Math.min(index, lines.length - 1)]?.id ?? null };
}

export function addGiftCardLine(data: DraftData, amountCents: number, number: string | null): LineChange {
  assertRoom(data);
  if (number && data.lines.some((l) => l.kind === 'gift_card' && l.gift_card_number === number)) throw new ValidationError({ gift_card_number: `Gift card ${number} is already on this sale.` });
  const id = newLineId();
  return {
    data: { ...data, lines: [...data.lines, { id, kind: 'gift_card', amount_cents: amountCents, gift_card_number: number }] },
    message: `${number ? `Gift card ${number}` : 'A new gift card'}: ${formatCents(amountCents)} added.`,
    selectLineId: id,
  };
}

export function addAccountPaymentLine(data: DraftData, amountCents: number): LineChange {
  assertRoom(data);
  if (data.lines.some((l) => l.kind === 'account_payment')) throw new ValidationError({ payment_amount: 'There is already a payment on account on this sale: remove it to change the amount.' });
  const id = newLineId();
  return { data: { ...data, lines: [...data.lines, { id, kind: 'account_payment', amount_cents: amountCents }] }, message: `Payment on account: ${formatCents(amountCents)} added.`, selectLineId: id };
}

export function addTender(data: DraftData, tender: Omit<DraftTender, 'id'>): DraftData {
  if (data.tenders.length >= 20) throw new ValidationError({ tender_amount: 'At most 20 payments on one sale.' });
  return { ...data, tenders: [...data.tenders, { id: newLineId(), ...tender }] };
}

export function removeTender(data: DraftData, tenderId: string): DraftData {
  if (!data.tenders.some((t) => t.id === tenderId)) throw new ConflictError('That payment is no longer on the sale.');
  return { ...data, tenders: data.tenders.filter((t) => t.id !== tenderId) };
}
