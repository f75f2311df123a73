import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi } from '../api/registry';
import { zodFieldErrors } from '../service-errors';
import { globalSearch, visibleKinds, type SearchResults } from './service';
import { parseKinds, searchApiQuerySchema, searchOut } from './schemas';
import { SearchInputError, type SearchKind } from './terms';
import type { z } from 'zod';

documentApi({
  method: 'get',
  path: '/api/v1/search',
  summary: "Search accounts, members, products and units at once (groups limited to the token's permissions)",
  tag: 'search',
  permission: null,
  query: searchApiQuerySchema,
  response: searchOut,
});

function toJson(results: SearchResults, searched: SearchKind[]): z.infer<typeof searchOut> {
  const byKind = Object.fromEntries(results.groups.map((g) => [g.kind, g.hits.map((h) => ({ id: h.id, code: h.code, label: h.label, secondary: h.secondary, url: h.url, exact_match: h.exact }))]));
  return {
    query: results.query,
    mode: results.mode,
    searched,
    exact_url: results.exactUrl,
    results: { accounts: byKind.accounts ?? [], members: byKind.members ?? [], products: byKind.products ?? [], units: byKind.units ?? [] },
  };
}

/** GET /api/v1/search: any valid token; the groups are filtered by what the token may view. */
export function searchApiRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.search.api' }).use(authPlugin(deps)).get(
    '/api/v1/search',
    async (ctx) => {
      const raw = Object.fromEntries(Object.entries(ctx.query as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const parsed = searchApiQuerySchema.safeParse(raw);
      if (!parsed.success) return apiError(ctx, 400, 'validation_failed', 'Invalid search parameters.', zodFieldErrors(parsed.error));
      const allowed = visibleKinds(ctx.apiPrincipal!.user.permissions);
      const asked = parseKinds(parsed.data.kinds);
      const kinds = asked ? allowed.filter((k) => asked.includes(k)) : allowed;
      try {
        const results = await globalSearch(deps.db, parsed.data.q ?? '', { kinds, limit: parsed.data.limit ? Number(parsed.data.limit) : undefined, searchDb: deps.searchDb });
        return json(ctx, 200, toJson(results, kinds));
      } catch (err) {
        if (err instanceof SearchInputError) return apiError(ctx, 400, 'validation_failed', 'Invalid search parameters.', { q: err.message });
        throw err;
      }
    },
    { api: null },
  );
}
