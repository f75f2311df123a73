import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { layawaysApi } from './api';
import { layawaysRoutes } from './routes';
import { specialOrdersApi } from '../special-orders/api';
import { specialOrdersRoutes } from '../special-orders/routes';
import { tradeInsApi } from '../trade-ins/api';
import { tradeInsRoutes } from '../trade-ins/routes';
import { trialsApi } from '../trials/api';
import { trialsRoutes } from '../trials/routes';

/**
 * Layaways, special orders, trade-ins and trials (pages + API) as one plugin. Its route types stay inside it
 * (the result is a plain Elysia): buildApp's chain was at TypeScript's type-instantiation depth limit, and
 * nothing outside needs these routes' types (their macros resolve within each feature's authPlugin).
 */
export function posExtrasPlugins(deps: AppDeps): Elysia {
  const plugin = new Elysia({ name: 'feature.pos-extras' }).use(layawaysRoutes(deps)).use(layawaysApi(deps)).use(specialOrdersRoutes(deps)).use(specialOrdersApi(deps)).use(tradeInsRoutes(deps)).use(tradeInsApi(deps)).use(trialsRoutes(deps)).use(trialsApi(deps));
  return plugin as unknown as Elysia;
}
