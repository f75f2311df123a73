import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { completeSetup, isSetupComplete } from '../settings/service';
import { storeDetailsSchema, systemTimeZone, timeZoneOptions } from '../settings/schemas';
import { optionalEmailSchema, passwordSchema, personNameSchema, usernameSchema } from '../staff/schemas';
import { ServiceError, ValidationError, zodFieldErrors } from '../service-errors';
import { z } from 'zod';
import { login } from '../auth/service';
import { SESSION_COOKIE, serializeCookie } from '../../server/cookies';
import { appendSetCookie } from '../../server/session';
import { signValue } from '../auth/crypto';

const ownerSchema = z
  .object({
    owner_username: usernameSchema,
    owner_name: personNameSchema,
    owner_email: optionalEmailSchema,
    owner_password: passwordSchema,
    owner_password_confirm: z.string(),
  })
  .refine((v) => v.owner_password === v.owner_password_confirm, { path: ['owner_password_confirm'], message: 'The two passwords differ.' });

export function setupRoutes(deps: AppDeps) {
  const page = (ctx: any, values: Record<string, string>, errors: Record<string, string> = {}, status = 200, message?: string) =>
    renderPage(deps, ctx, {
      template: 'setup/page',
      title: 'Set up Forte',
      layout: 'bare',
      status,
      data: { values, errors, message, timeZones: timeZoneOptions() },
    });

  return new Elysia({ name: 'feature.setup' })
    .use(authPlugin(deps))
    .get(
      '/setup',
      async (ctx) => {
        if (await isSetupComplete(deps.db)) return redirect(ctx, '/login');
        const token = typeof ctx.query.token === 'string' ? ctx.query.token.slice(0, 200) : '';
        return page(ctx, { token, time_zone: systemTimeZone(), default_tax_rate: '0' });
      },
      { public: true },
    )
    .post(
      '/setup',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = Object.fromEntries(
          ['token', 'store_name', 'address', 'phone', 'time_zone', 'default_tax_rate', 'owner_username', 'owner_name', 'owner_email'].map((k) => [k, formString(body, k)]),
        );
        if (await isSetupComplete(deps.db)) return redirect(ctx, '/login');
        const details = storeDetailsSchema.safeParse(values);
        const owner = ownerSchema.safeParse({ ...values, owner_password: formString(body, 'owner_password'), owner_password_confirm: formString(body, 'owner_password_confirm') });
        const errors = { ...(details.success ? {} : zodFieldErrors(details.error)), ...(owner.success ? {} : zodFieldErrors(owner.error)) };
        if (!values.token) errors.token = 'Paste the setup token printed in the Forte console or log.';
        if (!details.success || !owner.success || errors.token) return page(ctx, values, errors, 422, 'Please correct the highlighted fields.');
        try {
          await completeSetup(
            deps.db,
            values.token,
            details.data,
            { username: owner.data.owner_username, name: owner.data.owner_name, email: owner.data.owner_email, password: owner.data.owner_password },
            deps.clock.now(),
            ctx.requestId,
          );
        } catch (err) {
          if (err instanceof ValidationError || err instanceof ServiceError) return page(ctx, values, err.fields, err.status, err.message);
          throw err;
        }
        // The owner who just chose a password is signed in straight away.
        const { token } = await login(deps.db, { username: owner.data.owner_username, password: owner.data.owner_password, ip: ctx.ip, userAgent: ctx.request.headers.get('user-agent') }, deps.config.session, deps.clock.now(), ctx.requestId);
        appendSetCookie(ctx.set, serializeCookie(SESSION_COOKIE, signValue(deps.cookieSecret, token), { secure: deps.config.server.https }));
        setFlash(deps, ctx, { kind: 'success', message: `Welcome to Forte. ${details.data.store_name} is set up.` });
        return redirect(ctx, '/');
      },
      { public: true },
    );
}
