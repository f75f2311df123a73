import { z } from 'zod';
import { MAX_SEARCH_LENGTH, SEARCH_KINDS, type SearchKind } from './terms';
import { MAX_GROUP_LIMIT } from './service';

/** API query of GET /api/v1/search (strings, as query parameters arrive). */
export const searchApiQuerySchema = z.object({
  q: z.string().max(MAX_SEARCH_LENGTH, `q must be at most ${MAX_SEARCH_LENGTH} characters.`).optional().describe('Search text: 1–2 characters match prefixes, 3+ match anywhere (names, email, phone digits, numbers, SKU/UPC, serials)'),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `limit must be a whole number from 1 to ${MAX_GROUP_LIMIT}.`)
    .refine((v) => Number(v) >= 1 && Number(v) <= MAX_GROUP_LIMIT, `limit must be a whole number from 1 to ${MAX_GROUP_LIMIT}.`)
    .optional()
    .describe(`Results per group, 1–${MAX_GROUP_LIMIT} (default 8)`),
  kinds: z
    .string()
    .refine((v) => v.split(',').every((k) => (SEARCH_KINDS as readonly string[]).includes(k.trim())), `kinds must be a comma-separated list of: ${SEARCH_KINDS.join(', ')}.`)
    .optional()
    .describe('Groups to search (default: all the token may view)'),
});

export const searchHitOut = z.object({
  id: z.uuid(),
  code: z.string().describe('Account/member number, SKU or serial number'),
  label: z.string(),
  secondary: z.string(),
  url: z.string().describe('Page of this result in the staff UI'),
  exact_match: z.boolean(),
});

export const searchOut = z.object({
  query: z.string(),
  mode: z.enum(['empty', 'prefix', 'substring']),
  searched: z.array(z.enum(SEARCH_KINDS)).describe("Groups searched: those asked for that the token's permissions allow"),
  exact_url: z.string().nullable().describe('Set when exactly one exact number/serial/SKU/UPC match was found'),
  results: z.object({ accounts: z.array(searchHitOut), members: z.array(searchHitOut), products: z.array(searchHitOut), units: z.array(searchHitOut) }),
});

export const parseKinds = (value: string | undefined): SearchKind[] | undefined =>
  value ? [...new Set(value.split(',').map((k) => k.trim() as SearchKind))] : undefined;
