import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { categories, cycleCountLines, cycleCounts, inventoryUnits, products } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { recordStockMovement } from '../inventory/stock-ledger';
import { nextInSeries } from '../numbering';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import type { ListQuery } from '../../ui/list';
import type { CountEntriesInput, ScanInput, StartCountInput } from './schemas';
import { containsPattern, isUuid } from '../../db/sql-helpers';

/**
 * Cycle counts (docs/purchasing.md). Starting a count snapshots what should be on the shelf: the on-hand
 * quantity of every active stock product in the category (and its subcategories) and every available
 * serialized unit in the category and/or location. Posting turns each stock variance (counted − snapshot)
 * into a 'count' stock movement; a line never scanned counts as 0. Units not found are listed, not changed:
 * losing a unit is a manager's status change with a reason, not a side effect of a count.
 */
export type CountStatus = 'open' | 'posted' | 'cancelled';

export interface CountLineView {
  id: string;
  productId: string;
  sku: string;
  productName: string;
  unitId: string | null;
  serialNumber: string | null;
  expected: number;
  counted: number | null;
  variance: number;
  averageCostCents: number;
  varianceValueCents: number;
}

export interface CountView {
  id: string;
  number: string;
  name: string;
  categoryId: string | null;
  categoryName: string | null;
  location: string;
  status: CountStatus;
  createdAt: Date;
  postedAt: Date | null;
  stockLines: CountLineView[];
  unitLines: CountLineView[];
  totalVarianceValueCents: number;
}


export async function listCounts(db: DbOrTx, query: ListQuery, filter: { status?: CountStatus } = {}) {
  const conditions: SQL[] = [];
  if (query.q) conditions.push(sql`lower(${cycleCounts.number} || ' ' || ${cycleCounts.name} || ' ' || ${cycleCounts.location}) like ${containsPattern(query.q)}`);
  if (filter.status) conditions.push(eq(cycleCounts.status, filter.status));
  const where = conditions.length ? and(...conditions) : undefined;
  const sortColumn = { number: cycleCounts.number, name: cycleCounts.name, status: cycleCounts.status, created_at: cycleCounts.createdAt }[query.sort as 'number'] ?? cycleCounts.number;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(cycleCounts).where(where);
  const rows = await db
    .select({
      id: cycleCounts.id,
      number: cycleCounts.number,
      name: cycleCounts.name,
      location: cycleCounts.location,
      status: cycleCounts.status,
      createdAt: cycleCounts.createdAt,
      postedAt: cycleCounts.postedAt,
      categoryName: categories.name,
      lineCount: sql<number>`(select count(*)::int from ${cycleCountLines} l where l.cycle_count_id = ${cycleCounts.id})`,
    })
    .from(cycleCounts)
    .leftJoin(categories, eq(categories.id, cycleCounts.categoryId))
    .where(where)
    .orderBy(query.order === 'desc' ? desc(sortColumn) : asc(sortColumn), asc(cycleCounts.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows, total };
}

export async function getCount(db: DbOrTx, id: string): Promise<CountView> {
  if (!isUuid(id)) throw new NotFoundError('Cycle count');
  const [row] = await db.select({ c: cycleCounts, categoryName: categories.name }).from(cycleCounts).leftJoin(categories, eq(categories.id, cycleCounts.categoryId)).where(eq(cycleCounts.id, id));
  if (!row) throw new NotFoundError('Cycle count');
  const lines = await db
    .select({ l: cycleCountLines, sku: products.sku, productName: products.name, averageCostCents: products.averageCostCents, serialNumber: inventoryUnits.serialNumber })
    .from(cycleCountLines)
    .innerJoin(products, eq(products.id, cycleCountLines.productId))
    .leftJoin(inventoryUnits, eq(inventoryUnits.id, cycleCountLines.unitId))
    .where(eq(cycleCountLines.cycleCountId, id))
    .orderBy(asc(sql`lower(${products.sku})`), asc(inventoryUnits.serialNumber), asc(cycleCountLines.id));
  const views: CountLineView[] = lines.map(({ l, sku, productName, averageCostCents, serialNumber }) => {
    const variance = (l.countedQuantity ?? 0) - l.expectedQuantity;
    return { id: l.id, productId: l.productId, sku, productName, unitId: l.unitId, serialNumber, expected: l.expectedQuantity, counted: l.countedQuantity, variance, averageCostCents, varianceValueCents: l.unitId ? 0 : variance * averageCostCents };
  });
  const stockLines = views.filter((v) => !v.unitId);
  return {
    id: row.c.id,
    number: row.c.number,
    name: row.c.name,
    categoryId: row.c.categoryId,
    categoryName: row.categoryName,
    location: row.c.location,
    status: row.c.status as CountStatus,
    createdAt: row.c.createdAt,
    postedAt: row.c.postedAt,
    stockLines,
    unitLines: views.filter((v) => v.unitId),
    totalVarianceValueCents: stockLines.reduce((s, l) => s + l.varianceValueCents, 0),
  };
}

export async function categoryOptions(db: DbOrTx) {
  return db.select({ id: categories.id, name: categories.name }).from(categories).orderBy(asc(sql`lower(${categories.name})`)).limit(500);
}

export async function startCount(tx: Tx, actor: Actor, input: StartCountInput): Promise<CountView> {
  if (input.category_id) {
    const [cat] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, input.category_id));
    if (!cat) throw new ValidationError({ category_id: 'That category does not exist.' });
  }
  const number = await nextInSeries(tx, 'cycle_count', 'CC-');
  const [count] = await tx.insert(cycleCounts).values({ number, name: input.name, categoryId: input.category_id, location: input.location, createdByUserId: actor.userId }).returning();
  // The category's subtree: counting "Brass" includes "Brass › Trumpets".
  const inCategory = input.category_id
    ? sql`p.category_id in (with recursive tree(id) as (select ${input.category_id}::uuid union all select c.id from categories c join tree on c.parent_id = tree.id) select id from tree)`
    : sql`true`;
  // Stock items have no bin; a count by location alone covers units only.
  if (input.category_id) {
    await tx.execute(sql`
      insert into cycle_count_lines (cycle_count_id, product_id, expected_quantity)
      select ${count.id}, p.id, p.quantity_on_hand from products p
      where p.kind = 'stock' and p.is_active and ${inCategory}`);
  }
  const atLocation = input.location ? sql`lower(u.location) = ${input.location.toLowerCase()}` : sql`true`;
  await tx.execute(sql`
    insert into cycle_count_lines (cycle_count_id, product_id, unit_id, expected_quantity)
    select ${count.id}, u.product_id, u.id, 1 from inventory_units u join products p on p.id = u.product_id
    where u.status = 'available' and ${inCategory} and ${atLocation}`);
  const view = await getCount(tx, count.id);
  await recordAudit(tx, actor, { action: 'cycle_count.start', entityType: 'cycle_count', entityId: count.id, summary: `Started ${number} (${view.stockLines.length} stock lines, ${view.unitLines.length} units)`, after: { number, name: input.name, category_id: input.category_id, location: input.location } });
  return view;
}

async function lockOpenCount(tx: Tx, id: string) {
  if (!isUuid(id)) throw new NotFoundError('Cycle count');
  const [count] = await tx.select().from(cycleCounts).where(eq(cycleCounts.id, id)).for('update');
  if (!count) throw new NotFoundError('Cycle count');
  if (count.status !== 'open') throw new ConflictError(`${count.number} is ${count.status}; it can't be changed any more.`);
  return count;
}

/** One scan: a serial marks its unit found; a SKU/UPC adds the quantity (1 per scan) to its stock line. */
export async function scanCode(tx: Tx, actor: Actor, countId: string, input: ScanInput): Promise<{ message: string }> {
  const count = await lockOpenCount(tx, countId);
  const code = input.code.trim();
  const [unitLine] = await tx
    .select({ id: cycleCountLines.id, counted: cycleCountLines.countedQuantity, serial: inventoryUnits.serialNumber, sku: products.sku })
    .from(cycleCountLines)
    .innerJoin(inventoryUnits, eq(inventoryUnits.id, cycleCountLines.unitId))
    .innerJoin(products, eq(products.id, cycleCountLines.productId))
    .where(and(eq(cycleCountLines.cycleCountId, count.id), sql`lower(${inventoryUnits.serialNumber}) = ${code.toLowerCase()}`))
    .limit(1);
  if (unitLine) {
    if (unitLine.counted === 1) return { message: `${unitLine.sku} serial ${unitLine.serial} was already found.` };
    await tx.update(cycleCountLines).set({ countedQuantity: 1 }).where(eq(cycleCountLines.id, unitLine.id));
    await recordAudit(tx, actor, { action: 'cycle_count.scan', entityType: 'cycle_count', entityId: count.id, summary: `${count.number}: found ${unitLine.sku} serial ${unitLine.serial}`, before: { line_id: unitLine.id, counted: unitLine.counted }, after: { line_id: unitLine.id, counted: 1 } });
    return { message: `Found ${unitLine.sku} serial ${unitLine.serial}.` };
  }
  const [stockLine] = await tx
    .select({ id: cycleCountLines.id, counted: cycleCountLines.countedQuantity, sku: products.sku })
    .from(cycleCountLines)
    .innerJoin(products, eq(products.id, cycleCountLines.productId))
    .where(and(eq(cycleCountLines.cycleCountId, count.id), sql`${cycleCountLines.unitId} is null`, sql`(lower(${products.sku}) = ${code.toLowerCase()} or ${products.upc} = ${code})`))
    .limit(1);
  if (stockLine) {
    const counted = (stockLine.counted ?? 0) + input.quantity;
    if (counted > 1_000_000) throw new ValidationError({ quantity: 'Counted quantity is too large.' });
    await tx.update(cycleCountLines).set({ countedQuantity: counted }).where(eq(cycleCountLines.id, stockLine.id));
    await recordAudit(tx, actor, { action: 'cycle_count.scan', entityType: 'cycle_count', entityId: count.id, summary: `${count.number}: ${stockLine.sku} +${input.quantity}`, before: { line_id: stockLine.id, counted: stockLine.counted }, after: { line_id: stockLine.id, counted } });
    return { message: `${stockLine.sku}: ${counted} counted.` };
  }
  const [unit] = await tx
    .select({ serial: inventoryUnits.serialNumber, status: inventoryUnits.status, sku: products.sku })
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(sql`lower(${inventoryUnits.serialNumber}) = ${code.toLowerCase()}`)
    .limit(1);
  if (unit) throw new ValidationError({ code: `${unit.sku} serial ${unit.serial} is not expected in this count (it is ${unit.status.replace('_', ' ')} or outside the count's scope).` });
  const [product] = await tx.select({ sku: products.sku, kind: products.kind }).from(products).where(sql`lower(${products.sku}) = ${code.toLowerCase()} or ${products.upc} = ${code}`).limit(1);
  if (product?.kind === 'serialized') throw new ValidationError({ code: `${product.sku} is serialized: scan each unit's serial number instead.` });
  if (product) throw new ValidationError({ code: `${product.sku} is not part of this count.` });
  throw new ValidationError({ code: `Nothing matches “${code}”: no SKU, UPC or serial number in this count.` });
}

/** Corrects a line's counted quantity by hand (a miscount, or a typed total instead of scans). */
export async function setCounted(tx: Tx, actor: Actor, countId: string, lineId: string, counted: number) {
  const count = await lockOpenCount(tx, countId);
  const [line] = await tx.select().from(cycleCountLines).where(and(eq(cycleCountLines.id, lineId), eq(cycleCountLines.cycleCountId, count.id)));
  if (!line) throw new ValidationError({ line_id: 'That line is not part of this count.' });
  if (line.unitId && counted > 1) throw new ValidationError({ counted_quantity: 'A serialized unit is either found (1) or not (0).' });
  await tx.update(cycleCountLines).set({ countedQuantity: counted }).where(eq(cycleCountLines.id, line.id));
  await recordAudit(tx, actor, { action: 'cycle_count.set_counted', entityType: 'cycle_count', entityId: count.id, summary: `${count.number}: line set to ${counted}`, before: { line_id: line.id, counted: line.countedQuantity }, after: { line_id: line.id, counted } });
}

/**
 * The API's batch of scans and hand corrections, applied in order on one transaction. Every entry is tried
 * so all errors come back at once (keyed `scans.<i>.<field>` / `lines.<i>.<field>`); any error rolls the
 * whole batch back. The entries' refusals are checked before their writes, so trying on is safe.
 */
export async function recordCountEntries(tx: Tx, actor: Actor, countId: string, input: CountEntriesInput): Promise<{ messages: string[] }> {
  await lockOpenCount(tx, countId);
  const errors: Record<string, string> = {};
  const messages: string[] = [];
  const attempt = async (prefix: string, run: () => Promise<string>) => {
    try {
      messages.push(await run());
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const [field, message] = Object.entries(err.fields)[0] ?? ['_', err.message];
      errors[`${prefix}.${field}`] = message;
    }
  };
  for (const [i, scan] of input.scans.entries()) await attempt(`scans.${i}`, async () => (await scanCode(tx, actor, countId, scan)).message);
  for (const [i, line] of input.lines.entries()) {
    await attempt(`lines.${i}`, async () => {
      await setCounted(tx, actor, countId, line.line_id, line.counted_quantity);
      return `Line ${line.line_id} set to ${line.counted_quantity}.`;
    });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors, 'Nothing was recorded: some entries are invalid.');
  return { messages };
}

export async function postCount(tx: Tx, actor: Actor, countId: string, now: Date): Promise<CountView> {
  const count = await lockOpenCount(tx, countId);
  const view = await getCount(tx, count.id);
  const adjustments: { sku: string; delta: number }[] = [];
  for (const line of view.stockLines) {
    if (line.variance === 0) continue;
    try {
      await recordStockMovement(tx, actor, { productId: line.productId, quantityDelta: line.variance, reason: 'count', note: `Cycle count ${count.number}`, referenceType: 'cycle_count', referenceId: count.id });
    } catch (err) {
      if (err instanceof ConflictError) throw new ConflictError(`${line.sku}: ${err.message} Recount it or adjust its stock first.`);
      throw err;
    }
    adjustments.push({ sku: line.sku, delta: line.variance });
  }
  await tx.update(cycleCounts).set({ status: 'posted', postedAt: now }).where(eq(cycleCounts.id, count.id));
  const after = await getCount(tx, count.id);
  const missing = view.unitLines.filter((l) => l.counted !== 1).map((l) => `${l.sku} ${l.serialNumber}`);
  await recordAudit(tx, actor, { action: 'cycle_count.post', entityType: 'cycle_count', entityId: count.id, summary: `Posted ${count.number}: ${adjustments.length} adjustment(s), ${missing.length} unit(s) not found`, before: { status: 'open' }, after: { status: 'posted', adjustments, units_not_found: missing, variance_value_cents: view.totalVarianceValueCents } });
  return after;
}

export async function cancelCount(tx: Tx, actor: Actor, countId: string) {
  const count = await lockOpenCount(tx, countId);
  await tx.update(cycleCounts).set({ status: 'cancelled' }).where(eq(cycleCounts.id, count.id));
  await recordAudit(tx, actor, { action: 'cycle_count.cancel', entityType: 'cycle_count', entityId: count.id, summary: `Cancelled ${count.number}`, before: { status: 'open' }, after: { status: 'cancelled' } });
}
