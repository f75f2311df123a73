import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';

/** HTML pages of this area (filled in by the customers/inventory issue). */
export function customersRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.customers' }).use(authPlugin(deps));
}
