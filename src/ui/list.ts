/**
 * The shared list component's server half: parses `?q=&page=&limit=&sort=&order=` the same way for HTML
 * lists and API lists (api.md), and builds the pagination/sort model the `_list_*` partials render.
 */
export interface ListQuery {
  q: string;
  page: number;
  limit: number;
  sort: string;
  order: 'asc' | 'desc';
}

export interface ListOptions {
  sorts: readonly string[];
  defaultSort: string;
  defaultOrder?: 'asc' | 'desc';
  defaultLimit?: number;
  maxLimit?: number;
}

export class ListQueryError extends Error {
  constructor(public readonly fields: Record<string, string>) {
    super('Invalid list parameters');
  }
}

const int = (value: unknown): number | null => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : null);

/** Lenient for HTML (bad values fall back to defaults), strict for the API (bad values are a 400). */
export function parseListQuery(raw: Record<string, unknown>, opts: ListOptions, mode: 'lenient' | 'strict' = 'lenient'): ListQuery {
  const errors: Record<string, string> = {};
  const maxLimit = opts.maxLimit ?? 100;
  const pick = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : undefined);

  let page = 1;
  if (pick('page') !== undefined) {
    const p = int(pick('page'));
    if (p && p >= 1) page = p;
    else errors.page = 'page must be a whole number of 1 or more.';
  }
  let limit = opts.defaultLimit ?? 25;
  if (pick('limit') !== undefined) {
    const l = int(pick('limit'));
    if (l && l >= 1 && l <= maxLimit) limit = l;
    else errors.limit = `limit must be between 1 and ${maxLimit}.`;
  }
  let sort = opts.defaultSort;
  if (pick('sort') !== undefined && pick('sort') !== '') {
    if (opts.sorts.includes(pick('sort')!)) sort = pick('sort')!;
    else errors.sort = `sort must be one of: ${opts.sorts.join(', ')}.`;
  }
  let order: 'asc' | 'desc' = opts.defaultOrder ?? 'asc';
  if (pick('order') !== undefined && pick('order') !== '') {
    if (pick('order') === 'asc' || pick('order') === 'desc') order = pick('order') as 'asc' | 'desc';
    else errors.order = 'order must be asc or desc.';
  }
  const q = (pick('q') ?? '').trim().slice(0, 200);
  if (mode === 'strict' && Object.keys(errors).length) throw new ListQueryError(errors);
  return { q, page, limit, sort, order };
}

export interface PageLink {
  label: string;
  href: string | null;
  current?: boolean;
}

export interface ListModel<Row> {
  rows: Row[];
  total: number;
  query: ListQuery;
  totalPages: number;
  firstIndex: number;
  lastIndex: number;
  pages: PageLink[];
  baseUrl: string;
  /** Download of every matching row with the same search/filters/sort (lists that offer one). */
  csvHref: string | null;
  /** Filters that must survive sorting and paging (e.g. status=inactive). */
  params: Record<string, string>;
  sortHref(column: string): string;
  sortState(column: string): 'asc' | 'desc' | null;
  href(overrides: Record<string, string | number | undefined>): string;
}

export function buildListModel<Row>(baseUrl: string, query: ListQuery, rows: Row[], total: number, params: Record<string, string> = {}, opts: { csv?: boolean } = {}): ListModel<Row> {
  const totalPages = Math.max(1, Math.ceil(total / query.limit));
  const href = (overrides: Record<string, string | number | undefined>) => {
    const merged: Record<string, string> = { ...params };
    const base = { q: query.q, sort: query.sort, order: query.order, page: String(query.page), limit: String(query.limit) };
    for (const [k, v] of Object.entries({ ...base, ...overrides })) if (v !== undefined && v !== '') merged[k] = String(v);
    if (merged.page === '1') delete merged.page;
    return `${baseUrl}?${new URLSearchParams(merged).toString()}`;
  };
  const pages: PageLink[] = [];
  pages.push({ label: '‹ Prev', href: query.page > 1 ? href({ page: query.page - 1 }) : null });
  const windowStart = Math.max(1, Math.min(query.page - 2, totalPages - 4));
  for (let p = windowStart; p <= Math.min(totalPages, windowStart + 4); p++) pages.push({ label: String(p), href: href({ page: p }), current: p === query.page });
  pages.push({ label: 'Next ›', href: query.page < totalPages ? href({ page: query.page + 1 }) : null });
  return {
    rows,
    total,
    query,
    totalPages,
    firstIndex: total === 0 ? 0 : (query.page - 1) * query.limit + 1,
    lastIndex: Math.min(total, query.page * query.limit),
    pages,
    baseUrl,
    csvHref: opts.csv ? href({ page: undefined, limit: undefined }).replace(`${baseUrl}?`, `${baseUrl}/export.csv?`) : null,
    params,
    href,
    sortState: (column) => (query.sort === column ? query.order : null),
    sortHref: (column) => href({ sort: column, order: query.sort === column && query.order === 'asc' ? 'desc' : 'asc', page: 1 }),
  };
}

export function apiPagination(query: ListQuery, total: number) {
  return { page: query.page, limit: query.limit, total, total_pages: Math.max(1, Math.ceil(total / query.limit)) };
}
