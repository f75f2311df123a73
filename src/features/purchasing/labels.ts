import { toSVG } from 'bwip-js/generic';
import { eq } from 'drizzle-orm';
import { inventoryUnits, products } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { formatCents } from '../../domain/money';
import { NotFoundError, ValidationError } from '../service-errors';
import { isUuid } from '../../db/sql-helpers';

/**
 * Printable labels. Barcodes are Code 128 drawn server-side to SVG by bwip-js: no script, no font or
 * image request, so they pass the strict CSP and print the same from every browser. Each label is one
 * inline SVG of a fixed physical size (2.625 × 1 in, the common 30-up address-label sheet), so the sheet
 * lays out as a grid with no extra stylesheet.
 */
export interface Barcode {
  viewBox: string;
  /** bwip-js's own path markup (bars only, no text from the request), inserted raw into the label SVG. */
  paths: string;
}

export interface Label {
  title: string;
  code: string;
  caption: string;
  price: string | null;
  barcode: Barcode | null;
}

export const MAX_COPIES = 300;

/** Code 128 of `text` as SVG parts, or null when it can't be encoded (non-ASCII serials from old imports). */
export function code128(text: string): Barcode | null {
  if (!text || !/^[\x20-\x7e]+$/.test(text)) return null;
  try {
    const svg = toSVG({ bcid: 'code128', text, height: 12, scale: 2, paddingwidth: 0, paddingheight: 0 });
    const viewBox = /viewBox="([\d. ]+)"/.exec(svg)?.[1];
    const start = svg.indexOf('>') + 1;
    const end = svg.lastIndexOf('</svg>');
    if (!viewBox || start <= 0 || end < start) return null;
    return { viewBox, paths: svg.slice(start, end) };
  } catch {
    return null;
  }
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export function parseCopies(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_COPIES) throw new ValidationError({ copies: `Copies must be a whole number from 1 to ${MAX_COPIES}.` });
  return Number(raw);
}

export async function productLabels(db: DbOrTx, productId: string, copies: number): Promise<Label[]> {
  if (!isUuid(productId)) throw new NotFoundError('Product');
  const [p] = await db.select({ sku: products.sku, name: products.name, priceCents: products.priceCents }).from(products).where(eq(products.id, productId));
  if (!p) throw new NotFoundError('Product');
  const label: Label = { title: clip(p.name, 36), code: p.sku, caption: p.sku, price: formatCents(p.priceCents), barcode: code128(p.sku) };
  return Array.from({ length: copies }, () => label);
}

export async function unitLabels(db: DbOrTx, unitId: string, copies: number): Promise<Label[]> {
  if (!isUuid(unitId)) throw new NotFoundError('Unit');
  const [u] = await db
    .select({ serial: inventoryUnits.serialNumber, name: products.name, sku: products.sku })
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(eq(inventoryUnits.id, unitId));
  if (!u) throw new NotFoundError('Unit');
  const label: Label = { title: clip(u.name, 36), code: u.serial, caption: `S/N ${u.serial} · ${u.sku}`, price: null, barcode: code128(u.serial) };
  return Array.from({ length: copies }, () => label);
}
