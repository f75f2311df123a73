import { beforeEach, describe, expect, test } from 'bun:test';
import { eq } from 'drizzle-orm';
import { makeTestApp, resetDb, setupStore, type TestClient, type TestContext } from '../helpers';
import { inventoryUnits, products } from '../../src/db/schema';
import { createUnit } from '../../src/features/inventory/unit-lifecycle';
import { cliActor } from '../../src/features/audit/service';

/**
 * Code 128 patterns (ISO/IEC 15417, values 0–105, then the stop), bar/space widths in modules. The test
 * decodes the printed bars with this table, so it checks what a scanner would read, not what we asked for.
 */
const PATTERNS = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213', '221312', '231212',
  '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132', '221231', '213212', '223112', '312131',
  '311222', '321122', '321221', '312212', '322112', '322211', '212123', '212321', '232121', '111323', '131123', '131321',
  '112313', '132113', '132311', '211313', '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121',
  '313121', '211331', '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214', '112412', '122114',
  '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111', '111242', '121142', '121241', '114212',
  '124112', '124211', '411212', '421112', '421211', '212141', '214121', '412121', '111143', '111341', '131141', '114113',
  '114311', '411113', '411311', '113141', '114131', '311141', '411131', '211412', '211214', '211232',
];
const STOP = '2331112';

/** Reads the text of a Code 128 symbol drawn as bwip-js SVG strokes (`M<x> <y>L<x> <y>` per bar, stroke-width = bar width). */
function decodeCode128(svgPaths: string): string {
  const bars: { left: number; right: number }[] = [];
  for (const m of svgPaths.matchAll(/<path[^>]*stroke-width="([\d.]+)"[^>]*d="([^"]+)"/g)) {
    const width = Number(m[1]);
    for (const bar of m[2].matchAll(/M([\d.]+) [\d.]+L/g)) bars.push({ left: Number(bar[1]) - width / 2, right: Number(bar[1]) + width / 2 });
  }
  bars.sort((a, b) => a.left - b.left);
  const module = Math.min(...bars.map((b) => b.right - b.left));
  const widths: number[] = [];
  bars.forEach((b, i) => {
    if (i > 0) widths.push(Math.round((b.left - bars[i - 1].right) / module));
    widths.push(Math.round((b.right - b.left) / module));
  });
  const symbols = widths.join('');
  if (!symbols.endsWith(STOP) || (symbols.length - STOP.length) % 6 !== 0) throw new Error(`not a Code 128 symbol: ${symbols}`);
  const values: number[] = [];
  for (let i = 0; i < symbols.length - STOP.length; i += 6) {
    const v = PATTERNS.indexOf(symbols.slice(i, i + 6));
    if (v < 0) throw new Error(`unknown pattern ${symbols.slice(i, i + 6)}`);
    values.push(v);
  }
  const [start, ...rest] = values;
  const checksum = rest.pop()!;
  expect((start + rest.reduce((sum, v, i) => sum + v * (i + 1), 0)) % 103).toBe(checksum);
  let set = { 103: 'A', 104: 'B', 105: 'C' }[start];
  if (!set) throw new Error(`bad start ${start}`);
  let text = '';
  for (const v of rest) {
    if (set === 'C') {
      if (v < 100) text += String(v).padStart(2, '0');
      else set = v === 100 ? 'B' : v === 101 ? 'A' : set;
    } else if (v < 96) {
      text += set === 'B' || v < 64 ? String.fromCharCode(v + 32) : String.fromCharCode(v - 64);
    } else if (v === 99) set = 'C';
    else if (v === 100 && set === 'A') set = 'B';
    else if (v === 101 && set === 'B') set = 'A';
    else throw new Error(`unsupported code ${v} in set ${set}`);
  }
  return text;
}

let t: TestContext;
let owner: TestClient;
let trumpetId: string;
let violinId: string;
let guitarId: string;
let trumpetUnit: string;
let violinUnit: string;
let guitarUnit: string;
let soldUnit: string;

async function unit(productId: string, serialNumber: string, status = 'available') {
  const created = await t.deps.db.transaction((tx) => createUnit(tx, cliActor('test'), { productId, serialNumber, costCents: 1, acquiredVia: 'purchase', acquisitionSummary: 'Test' }));
  if (status !== 'available') await t.deps.db.update(inventoryUnits).set({ status }).where(eq(inventoryUnits.id, created.id));
  return created.id;
}

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: trumpetId }, { id: violinId }, { id: guitarId }] = await t.deps.db
    .insert(products)
    .values([
      { sku: 'YTR-2330', name: 'Student <Trumpet>', brand: 'Yamaha', model: 'YTR-2330', kind: 'serialized', rentable: true },
      { sku: 'VN-34', name: 'Eastman Violin Outfit', brand: 'Eastman', model: 'VL80', size: '3/4', kind: 'serialized', rentable: true },
      { sku: 'GTR-1', name: 'Acoustic Guitar', kind: 'serialized', rentable: false },
    ])
    .returning({ id: products.id });
  trumpetUnit = await unit(trumpetId, 'SMI-2231');
  violinUnit = await unit(violinId, 'v34-0099');
  guitarUnit = await unit(guitarId, 'G-1');
  soldUnit = await unit(trumpetId, 'SOLD-1', 'sold');
});

const tagCount = (html: string) => (html.match(/<svg class="fleet-tag"/g) ?? []).length;
/** Each tag ends with its ownership line ("… — rental fleet") and the closing tag of its own SVG. */
const tagsOf = (html: string) => [...html.matchAll(/<svg class="fleet-tag"[\s\S]*?rental fleet<\/text><\/svg>/g)].map((m) => m[0]);
const barcodeOf = (tag: string) => /<svg class="tag-barcode"[^>]*viewBox="[\d. ]+"[^>]*>([\s\S]*?)<\/svg>/.exec(tag)![1];

describe('rental fleet tags', () => {
  test('a tag per unit with store name, a Code 128 of the serial that decodes to it, product, brand/model, size, ownership line', async () => {
    const res = await owner.get(`/inventory/labels?kind=fleet&unit_id=${trumpetUnit}&unit_id=${violinUnit}`);
    expect(res.status).toBe(200);
    expect(tagCount(res.text)).toBe(2);
    const tags = tagsOf(res.text);
    expect(tags).toHaveLength(2);
    const [trumpet, violin] = tags;
    expect(decodeCode128(barcodeOf(trumpet))).toBe('SMI-2231');
    expect(decodeCode128(barcodeOf(violin))).toBe('v34-0099');
    expect(trumpet).toContain('width="2.25in" height="1.25in"');
    expect(trumpet).toContain('>Harmony Music</text>');
    expect(trumpet).toContain('>SMI-2231</text>');
    expect(trumpet).toContain('Student &lt;Trumpet&gt;');
    expect(trumpet).toContain('Yamaha · YTR-2330');
    expect(trumpet).toContain('Property of Harmony Music — rental fleet');
    expect(violin).toContain('Eastman · VL80 · Size 3/4');
    expect(res.text).not.toContain('<Trumpet>');
    // The print stylesheet (one tag per 2.25 × 1.25 in page) comes with the page; no inline style or script.
    expect(res.text).toContain('<link rel="stylesheet" href="/static/css/fleet-tags.css">');
    expect(res.text).not.toMatch(/<script>|style="/);
    const css = await owner.get('/static/css/fleet-tags.css');
    expect(css.status).toBe(200);
    expect(css.text).toContain('size: 2.25in 1.25in');
  });

  test('copies repeat each tag; a repeated unit id prints once per copy', async () => {
    const res = await owner.get(`/inventory/labels?kind=fleet&unit_id=${trumpetUnit}&unit_id=${trumpetUnit}&unit_id=${violinUnit}&copies=3`);
    expect(res.status).toBe(200);
    expect(tagCount(res.text)).toBe(6);
  });

  test('the unit page links to its fleet tag', async () => {
    const page = await owner.get(`/inventory/units/${trumpetUnit}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/inventory/labels?kind=fleet&amp;unit_id=${trumpetUnit}"`);
    expect((await owner.get(`/inventory/units/${soldUnit}`)).text).not.toContain('Print fleet tag');
  });

  test('picker lists fleet units only, filters, and its form asks for the ticked units', async () => {
    const picker = await owner.get('/inventory/labels?kind=fleet');
    expect(picker.status).toBe(200);
    expect(picker.text).toContain('SMI-2231');
    expect(picker.text).toContain('v34-0099');
    expect(picker.text).not.toContain('G-1<'); // not rentable
    expect(picker.text).not.toContain('SOLD-1'); // left the fleet
    expect(picker.text).toContain(`name="unit_id" value="${trumpetUnit}" form="fleet-print"`);
    expect(picker.text).toContain('data-select-all="fleet"');

    const searched = await owner.get('/inventory/labels?kind=fleet&q=eastman');
    expect(searched.text).toContain('v34-0099');
    expect(searched.text).not.toContain('SMI-2231');
    const byProduct = await owner.get(`/inventory/labels?kind=fleet&product_id=${trumpetId}`);
    expect(byProduct.text).toContain('SMI-2231');
    expect(byProduct.text).not.toContain('v34-0099');
    const fragment = await owner.get('/inventory/labels?kind=fleet&q=smi', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(fragment.text).toContain('id="list"');
    expect(fragment.text).not.toContain('<html');

    const nothingTicked = await owner.get('/inventory/labels?kind=fleet&copies=1');
    expect(nothingTicked.status).toBe(422);
    expect(nothingTicked.text).toContain('Tick at least one unit to print its tag.');
    const notRentableProduct = await owner.get(`/inventory/labels?kind=fleet&product_id=${guitarId}`);
    expect(notRentableProduct.status).toBe(422);
    expect(notRentableProduct.text).toContain('GTR-1 Acoustic Guitar is not a rentable product');
    expect((await owner.get('/inventory/labels?kind=fleet&product_id=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  test('refused with a clear message: units of non-rentable products, units that left the fleet, bad copies, too many', async () => {
    const cases: [string, number, string][] = [
      [`unit_id=${guitarUnit}`, 422, 'Fleet tags are only for units of rentable products. Not rentable: G-1 (GTR-1 Acoustic Guitar)'],
      [`unit_id=${trumpetUnit}&unit_id=${guitarUnit}`, 422, 'Not rentable: G-1'],
      [`unit_id=${soldUnit}`, 422, 'not in the rental fleet any more: SOLD-1 (sold)'],
      [`unit_id=${trumpetUnit}&copies=0`, 422, 'Copies must be a whole number from 1 to 300.'],
      [`unit_id=${trumpetUnit}&copies=lots`, 422, 'Copies must be a whole number from 1 to 300.'],
      [`unit_id=${trumpetUnit}&unit_id=${violinUnit}&copies=151`, 422, 'At most 300 tags per sheet: 2 units × 151 copies is 302.'],
      [Array.from({ length: 101 }, (_, i) => `unit_id=00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).join('&'), 422, 'Choose at most 100 units per sheet (101 chosen).'],
    ];
    for (const [query, status, message] of cases) {
      const res = await owner.get(`/inventory/labels?kind=fleet&${query}`);
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(tagCount(res.text)).toBe(0);
    }
  });

  test('unknown or malformed unit ids are 404; an unknown label kind is 422; price labels still work', async () => {
    for (const query of ['unit_id=00000000-0000-4000-8000-000000000000', 'unit_id=nope', `unit_id=${trumpetUnit}&unit_id=00000000-0000-4000-8000-000000000000`]) {
      const res = await owner.get(`/inventory/labels?kind=fleet&${query}`);
      expect(res.status).toBe(404);
      expect(tagCount(res.text)).toBe(0);
    }
    const badKind = await owner.get(`/inventory/labels?kind=sticker&unit_id=${trumpetUnit}`);
    expect(badKind.status).toBe(422);
    expect(badKind.text).toContain('Unknown kind of label');
    const price = await owner.get(`/inventory/labels?unit_id=${guitarUnit}`);
    expect(price.status).toBe(200);
    expect(price.text).toContain('S/N G-1');
  });

  test('a serial that is not plain ASCII gets a tag without a barcode, saying so', async () => {
    const odd = await unit(violinId, 'Größe-7');
    const res = await owner.get(`/inventory/labels?kind=fleet&unit_id=${odd}`);
    expect(res.status).toBe(200);
    expect(tagCount(res.text)).toBe(1);
    expect(res.text).toContain('(no barcode: the serial is not plain ASCII)');
    expect(res.text).not.toContain('class="tag-barcode"');
  });

  test('a long product name is squeezed into the tag (textLength), short ones are not', async () => {
    const [{ id: longId }] = await t.deps.db.insert(products).values({ sku: 'BAR-1', name: 'Professional Baritone Saxophone Outfit with Low A and Hard Case', kind: 'serialized', rentable: true }).returning({ id: products.id });
    const long = await unit(longId, 'BS-1');
    const res = await owner.get(`/inventory/labels?kind=fleet&unit_id=${long}&unit_id=${trumpetUnit}`);
    const [longTag, shortTag] = tagsOf(res.text);
    expect(longTag).toMatch(/textLength="207" lengthAdjust="spacingAndGlyphs">Professional Baritone/);
    expect(shortTag).not.toMatch(/textLength="\d+" lengthAdjust="spacingAndGlyphs">Student/);
  });
});
