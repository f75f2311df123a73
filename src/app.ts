import { Elysia } from 'elysia';
import type { AppDeps } from './server/deps';
import { contextPlugin } from './server/context';
import { errorsPlugin } from './server/errors';
import { setupGatePlugin } from './server/setup-gate';
import { staticPlugin } from './server/static';
import { systemRoutes } from './features/system/routes';
import { setupRoutes } from './features/setup/routes';
import { authRoutes } from './features/auth/routes';
import { dashboardRoutes } from './features/dashboard/routes';
import { staffRoutes } from './features/staff/routes';
import { auditRoutes } from './features/audit/routes';
import { settingsRoutes } from './features/settings/routes';
import { apiRoutes } from './features/api/routes';
import { customersRoutes } from './features/customers/routes';
import { inventoryRoutes } from './features/inventory/routes';
import { purchasingRoutes } from './features/purchasing/routes';
import { searchRoutes } from './features/search/routes';
import { importRoutes } from './features/imports/routes';
import { ledgerRoutes } from './features/ledger/routes';
import { ledgerApi } from './features/ledger/api';
import { registersRoutes } from './features/registers/routes';
import { registersApi } from './features/registers/api';
import { salesApi } from './features/sales/api';
import { posRoutes } from './features/pos/routes';
import { salesPagesRoutes } from './features/sales-pages/routes';
import { exchangeApi } from './features/sales/exchange-api';
import { depositsRoutes } from './features/deposits/routes';
import { depositsApi } from './features/deposits/api';
import { discountsRoutes } from './features/discounts/routes';
import { discountsApi } from './features/discounts/api';
import { taxClassRoutes } from './features/inventory/tax-class-routes';
import { posExtrasPlugins } from './features/layaways/pos-extras';
import { reportsRoutes } from './features/reports/routes';

/** Composes the cross-cutting plugins and every feature's routes; used by `serve` and by the tests. */
export function buildApp(deps: AppDeps) {
  return new Elysia({ name: 'forte' })
    .use(contextPlugin)
    .use(errorsPlugin(deps))
    .use(setupGatePlugin(deps))
    .use(staticPlugin(deps))
    .use(systemRoutes(deps))
    .use(setupRoutes(deps))
    .use(authRoutes(deps))
    .use(dashboardRoutes(deps))
    .use(staffRoutes(deps))
    .use(auditRoutes(deps))
    .use(settingsRoutes(deps))
    .use(apiRoutes(deps))
    .use(customersRoutes(deps))
    .use(inventoryRoutes(deps))
    .use(purchasingRoutes(deps))
    .use(searchRoutes(deps))
    .use(importRoutes(deps))
    .use(ledgerRoutes(deps))
    .use(ledgerApi(deps))
    .use(registersRoutes(deps))
    .use(registersApi(deps))
    .use(salesApi(deps))
    .use(posRoutes(deps))
    .use(salesPagesRoutes(deps))
    .use(exchangeApi(deps))
    .use(depositsRoutes(deps))
    .use(depositsApi(deps))
    .use(discountsRoutes(deps))
    .use(discountsApi(deps))
    .use(taxClassRoutes(deps))
    .use(posExtrasPlugins(deps))
    .use(reportsRoutes(deps));
}

export type ForteApp = ReturnType<typeof buildApp>;
