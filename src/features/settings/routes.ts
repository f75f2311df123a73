import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { forgetStoreCache, renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formList, formString } from '../../server/forms';
import { getStoreSettings, updatePosSettings, updateStoreSettings } from './service';
import { CASH_ROUNDING_CHOICES, MAX_RETURN_POLICY_LENGTH, posSettingsSchema, storeDetailsSchema, timeZoneOptions } from './schemas';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { formatMillipercent } from '../../domain/rounding';
import { createApiToken, listApiTokens, revokeApiToken } from '../api-tokens/service';
import { actorOf } from '../staff/routes';
import { ALL_PERMISSIONS, PERMISSIONS } from '../auth/permissions';

export function settingsRoutes(deps: AppDeps) {
  const page = async (ctx: any, values?: Record<string, string>, errors: Record<string, string> = {}, status = 200, pos?: { values: Record<string, string>; errors: Record<string, string> }) => {
    const s = await getStoreSettings(deps.db);
    const current = values ?? {
      store_name: s?.storeName ?? '',
      address: s?.address ?? '',
      phone: s?.phone ?? '',
      time_zone: s?.timeZone ?? 'UTC',
      default_tax_rate: formatMillipercent(s?.defaultTaxRateMillipercent ?? 0).replace('%', ''),
    };
    const posValues = pos?.values ?? {
      return_window_days: String(s?.returnWindowDays ?? 30),
      cash_rounding_cents: String(s?.cashRoundingCents ?? 1),
      return_policy: s?.returnPolicy ?? '',
      auto_print_receipt: s?.autoPrintReceipt ? 'on' : '',
    };
    return renderPage(deps, ctx, {
      template: 'settings/page',
      title: 'Settings',
      status,
      data: {
        values: current,
        errors,
        timeZones: timeZoneOptions(),
        posValues,
        posErrors: pos?.errors ?? {},
        roundingChoices: CASH_ROUNDING_CHOICES.map((c) => ({ value: String(c), label: c === 1 ? 'Off (exact cents)' : c === 100 ? 'To the dollar' : `To ${c}¢` })),
        maxReturnPolicy: MAX_RETURN_POLICY_LENGTH,
      },
    });
  };
  const tokensPage = async (ctx: any, extra: { newToken?: string; values?: Record<string, unknown>; errors?: Record<string, string>; status?: number } = {}) =>
    renderPage(deps, ctx, {
      template: 'settings/api-tokens',
      title: 'API tokens',
      status: extra.status ?? 200,
      data: { tokens: await listApiTokens(deps.db), newToken: extra.newToken ?? null, values: extra.values ?? { name: '', permissions: [] }, errors: extra.errors ?? {}, allPermissions: ALL_PERMISSIONS.filter((p) => ctx.user?.permissions.has(p)), permissionDescriptions: PERMISSIONS },
    });

  return new Elysia({ name: 'feature.settings' })
    .use(authPlugin(deps))
    .get('/settings', (ctx) => page(ctx), { permission: 'settings.manage' })
    .post(
      '/settings',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = Object.fromEntries(['store_name', 'address', 'phone', 'time_zone', 'default_tax_rate'].map((k) => [k, formString(body, k)]));
        const parsed = storeDetailsSchema.safeParse(values);
        if (!parsed.success) return page(ctx, values, zodFieldErrors(parsed.error), 422);
        await deps.db.transaction((tx) => updateStoreSettings(tx, actorOf(ctx), parsed.data));
        forgetStoreCache();
        setFlash(deps, ctx, { kind: 'success', message: 'Store details saved.' });
        return redirect(ctx, '/settings');
      },
      { permission: 'settings.manage' },
    )
    .post(
      '/settings/pos',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = Object.fromEntries(['return_window_days', 'cash_rounding_cents', 'return_policy', 'auto_print_receipt'].map((k) => [k, formString(body, k)]));
        const parsed = posSettingsSchema.safeParse(values);
        if (!parsed.success) return page(ctx, undefined, {}, 422, { values, errors: zodFieldErrors(parsed.error) });
        await deps.db.transaction((tx) => updatePosSettings(tx, actorOf(ctx), parsed.data));
        setFlash(deps, ctx, { kind: 'success', message: 'Point-of-sale settings saved.' });
        return redirect(ctx, '/settings');
      },
      { permission: 'settings.manage' },
    )
    .get('/settings/api-tokens', (ctx) => tokensPage(ctx), { permission: 'api_tokens.manage' })
    .post(
      '/settings/api-tokens',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = { name: formString(body, 'name').trim(), permissions: formList(body, 'permissions') };
        try {
          const created = await deps.db.transaction((tx) => createApiToken(tx, actorOf(ctx), { name: values.name, ownerUserId: ctx.user!.id, permissions: values.permissions }));
          return tokensPage(ctx, { newToken: created.token, status: 201 });
        } catch (err) {
          if (err instanceof ServiceError) return tokensPage(ctx, { values, errors: err.fields, status: err.status });
          throw err;
        }
      },
      { permission: 'api_tokens.manage' },
    )
    .post(
      '/settings/api-tokens/:id/revoke',
      async (ctx) => {
        await deps.db.transaction((tx) => revokeApiToken(tx, actorOf(ctx), ctx.params.id));
        setFlash(deps, ctx, { kind: 'success', message: 'Token revoked; programs using it are locked out now.' });
        return redirect(ctx, '/settings/api-tokens');
      },
      { permission: 'api_tokens.manage' },
    );
}
