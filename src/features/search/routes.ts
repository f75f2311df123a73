import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage } from '../../server/respond';
import { DEFAULT_GROUP_LIMIT, globalSearch, visibleKinds, type SearchResults } from './service';
import { MAX_SEARCH_LENGTH, SEARCH_KINDS, SearchInputError } from './terms';
import { searchApiRoutes } from './api';

/** Rows per group on the full results page; the header dropdown shows fewer. */
const PAGE_GROUP_LIMIT = 25;
const TYPEAHEAD_GROUP_LIMIT = 5;

const firstString = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/**
 * GET /search: the results page, or (htmx partial request from the header box) the typeahead dropdown.
 * Any signed-in user may search; only the groups their permissions show are searched. A plain GET whose
 * text is exactly one account/member number, SKU/UPC or serial (a barcode scan + Enter) goes straight to
 * that record, unless `all=1` asks for the list.
 */
export function searchRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.search' })
    .use(authPlugin(deps))
    .use(searchApiRoutes(deps))
    .get(
      '/search',
      async (ctx) => {
        const typeahead = !!ctx.htmx?.wantsFragment;
        const input = firstString((ctx.query as Record<string, unknown>).q);
        const kinds = visibleKinds(ctx.user!.permissions);
        const hidden = SEARCH_KINDS.filter((k) => !kinds.includes(k));
        let results: SearchResults | null = null;
        let error: string | null = null;
        try {
          results = await globalSearch(deps.db, input, { kinds, limit: typeahead ? TYPEAHEAD_GROUP_LIMIT : PAGE_GROUP_LIMIT, searchDb: deps.searchDb });
        } catch (err) {
          if (!(err instanceof SearchInputError)) throw err;
          error = err.message;
        }
        if (results?.exactUrl && !typeahead && firstString((ctx.query as Record<string, unknown>).all) !== '1') return redirect(ctx, results.exactUrl);
        const shown = typeof input === 'string' ? input.slice(0, MAX_SEARCH_LENGTH) : '';
        return renderPage(deps, ctx, {
          template: 'search/page',
          fragment: 'search/_typeahead',
          title: results?.query ? `Search: ${results.query}` : 'Search',
          status: error ? 422 : 200,
          data: { q: shown, results, error, hidden, canSearch: kinds.length > 0, maxLength: MAX_SEARCH_LENGTH, groupLimit: typeahead ? TYPEAHEAD_GROUP_LIMIT : PAGE_GROUP_LIMIT, defaultLimit: DEFAULT_GROUP_LIMIT },
        });
      },
      { authenticated: true },
    );
}
