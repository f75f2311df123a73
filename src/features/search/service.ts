import type { DbOrTx } from '../../db/client';
import type { Permission } from '../auth/permissions';
import { formatCents } from '../../domain/money';
import type { SQL } from 'drizzle-orm';
import { combinedStatement, searchStatements } from './queries';
import { parseSearchTerms, SEARCH_KINDS, type SearchKind, type SearchMode } from './terms';

/** One result: what the dropdown, the results page and the API show. */
export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** The human code people type or scan: account/member number, SKU, serial number. */
  code: string;
  label: string;
  secondary: string;
  url: string;
  /** Exact number/serial/SKU/UPC match (ranked first; a single one is where Enter on a scan goes). */
  exact: boolean;
}

export interface SearchGroup {
  kind: SearchKind;
  title: string;
  hits: SearchHit[];
}

export interface SearchResults {
  query: string;
  mode: SearchMode | 'empty';
  groups: SearchGroup[];
  total: number;
  /** Where a scan/Enter goes directly: set when exactly one exact match was found. */
  exactUrl: string | null;
}

export interface SearchOptions {
  /** Rows per group (each group's query has this LIMIT). */
  limit?: number;
  /** Groups to search; callers pass only the groups the user may see. */
  kinds?: readonly SearchKind[];
  includeInactive?: boolean;
  /**
   * Where the search's statements run: the generic-plan search connections (DbHandle.searchDb) in the app
   * (planned once per connection; the plans are checked by the query-plan test); `db` when not given.
   */
  searchDb?: DbOrTx;
}

export const DEFAULT_GROUP_LIMIT = 8;
export const MAX_GROUP_LIMIT = 25;

const TITLES: Record<SearchKind, string> = { accounts: 'Accounts', members: 'Members', products: 'Products', units: 'Units' };
const KIND_PERMISSION: Record<SearchKind, Permission> = { accounts: 'customers.view', members: 'customers.view', products: 'inventory.view', units: 'inventory.view' };

/** The groups a user (or token) holding these permissions may see. */
export function visibleKinds(permissions: ReadonlySet<string> | null | undefined): SearchKind[] {
  return SEARCH_KINDS.filter((k) => !!permissions?.has(KIND_PERMISSION[k]));
}

const UNIT_STATUS_LABELS: Record<string, string> = { on_trial: 'on trial', in_repair: 'in repair' };
const joinParts = (parts: (string | null | undefined)[]) => parts.filter((p) => p && p.trim()).join(' · ');

function toHit(kind: SearchKind, row: any): SearchHit {
  switch (kind) {
    case 'accounts':
      return { kind, id: row.id, code: row.number, label: row.name, secondary: joinParts([`Account ${row.number}`, row.phone, row.email]), url: `/customers/${row.id}`, exact: !!row.exact };
    case 'members':
      return {
        kind,
        id: row.id,
        code: row.number,
        label: `${row.first_name} ${row.last_name}`.trim(),
        secondary: joinParts([`Member ${row.number}`, `${row.account_name} (${row.account_number})`]),
        url: `/customers/${row.account_id}`,
        exact: !!row.exact,
      };
    case 'products':
      return {
        kind,
        id: row.id,
        code: row.sku,
        label: row.name,
        secondary: joinParts([`SKU ${row.sku}`, row.upc ? `UPC ${row.upc}` : null, [row.brand, row.model].filter(Boolean).join(' '), formatCents(Number(row.price_cents))]),
        url: `/inventory/products/${row.id}`,
        exact: !!row.exact,
      };
    case 'units':
      return {
        kind,
        id: row.id,
        code: row.serial_number,
        label: row.serial_number,
        secondary: joinParts([row.product_name, UNIT_STATUS_LABELS[row.status] ?? row.status, row.condition]),
        // An exact serial scan opens the instrument passport; a partial match the unit itself.
        url: row.exact ? `/inventory/passport?serial=${encodeURIComponent(row.serial_number)}` : `/inventory/units/${row.id}`,
        exact: !!row.exact,
      };
  }
}

async function runGroups(db: DbOrTx, statements: Partial<Record<SearchKind, SQL>>): Promise<Record<SearchKind, any[]>> {
  const [row] = await db.execute<Record<SearchKind, any[]>>(combinedStatement(statements));
  return row;
}

/**
 * The one fast search across accounts, members, products and units. `input` is the raw query text;
 * throws SearchInputError when it is too long. Each group is one indexed statement with a LIMIT; all
 * groups go to the database as one statement (two for a substring search that the prefix phase didn't fill).
 */
export async function globalSearch(db: DbOrTx, input: unknown, opts: SearchOptions = {}): Promise<SearchResults> {
  const terms = parseSearchTerms(input);
  const kinds = opts.kinds ?? SEARCH_KINDS;
  if (!terms || !kinds.length) return { query: terms?.raw ?? '', mode: terms ? terms.mode : 'empty', groups: [], total: 0, exactUrl: null };
  const limit = Math.min(Math.max(1, Math.trunc(opts.limit ?? DEFAULT_GROUP_LIMIT)), MAX_GROUP_LIMIT);
  const queryOpts = { limit, includeInactive: opts.includeInactive };
  // Prefix phase first, for every search: cheap ordered index scans, all groups in one statement. A group it
  // fills to the limit is final (rows that start with the text outrank the rest); only the others pay for
  // the trigram substring scan, again in one statement.
  const on = opts.searchDb ?? db;
  const rows = await runGroups(on, searchStatements(terms, kinds, queryOpts, 'prefix'));
  if (terms.mode === 'substring') {
    const unfilled = kinds.filter((k) => rows[k].length < limit);
    if (unfilled.length) Object.assign(rows, await runGroups(on, searchStatements(terms, unfilled, queryOpts, 'substring')));
  }
  const groups: SearchGroup[] = kinds.map((kind) => ({ kind, title: TITLES[kind], hits: rows[kind].map((r) => toHit(kind, r)) }));
  const exactUrls = new Set(groups.flatMap((g) => g.hits.filter((h) => h.exact).map((h) => h.url)));
  return {
    query: terms.raw,
    mode: terms.mode,
    groups,
    total: groups.reduce((n, g) => n + g.hits.length, 0),
    exactUrl: exactUrls.size === 1 ? [...exactUrls][0] : null,
  };
}
