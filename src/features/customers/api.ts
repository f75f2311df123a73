import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { zodFieldErrors } from '../service-errors';
import { apiActor, handle, jsonBody } from '../api/support';
import { ACCOUNT_SORTS, ACCOUNT_TYPES, createAccountSchema, createMemberSchema, MEMBER_SORTS, moveMemberSchema, taxExemptionSchema, updateAccountSchema, updateMemberSchema } from './schemas';
import { createAccount, getAccount, listAccounts, updateAccount } from './account-service';
import { addMember, getMember, listMembers, memberView, membersOfAccount, moveMember, updateMember } from './member-service';
import { approveExemption, createExemption, exemptionsOfAccount } from './tax-exemptions';
import { storeToday } from '../settings/service';
import { accountJson, accountOut, exemptionJson, exemptionOut, memberJson, memberOut } from './json';
import { openReceivableCents } from '../sales/invoices';
import { storeCreditBalance } from '../sales/stored-value';

const accountDetailOut = accountOut.extend({
  members: z.array(memberOut),
  tax_exemptions: z.array(exemptionOut),
  balance_cents: z.number().int().describe('What the account owes: the open balance of its house-account invoices (AR).'),
  store_credit_cents: z.number().int().describe('Store credit the account can spend.'),
});
const accountListQuery = listQuerySchema.extend({
  sort: z.enum(ACCOUNT_SORTS).optional(),
  status: z.enum(['active', 'inactive', 'all']).optional(),
  type: z.enum(ACCOUNT_TYPES).optional(),
});

documentApi({ method: 'get', path: '/api/v1/accounts', summary: 'List customer accounts (q searches name, number, email, phone and member names)', tag: 'customers', permission: 'customers.view', query: accountListQuery, response: accountOut, list: true });
documentApi({ method: 'post', path: '/api/v1/accounts', summary: 'Create an account; 409 conflict with `matches` when the email or phone is already on an active account, unless confirm_duplicate is true', tag: 'customers', permission: 'customers.manage', body: createAccountSchema, response: accountOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/accounts/:id', summary: 'One account with its members, tax exemptions and balances', tag: 'customers', permission: 'customers.view', response: accountDetailOut });
documentApi({ method: 'patch', path: '/api/v1/accounts/:id', summary: 'Change account fields; is_active false/true deactivates/reactivates', tag: 'customers', permission: 'customers.manage', body: updateAccountSchema, response: accountOut });
documentApi({ method: 'post', path: '/api/v1/accounts/:id/members', summary: 'Add a member (the first becomes the primary member); is_minor overrides the flag derived from date_of_birth', tag: 'customers', permission: 'customers.manage', body: createMemberSchema, response: memberOut, responseStatus: 201 });
documentApi({ method: 'post', path: '/api/v1/accounts/:id/tax-exemptions', summary: 'Record a tax-exemption certificate; status approved needs customers.approve_exemption, a certificate number and an expiry', tag: 'customers', permission: 'customers.manage', body: taxExemptionSchema, response: exemptionOut, responseStatus: 201 });
documentApi({ method: 'post', path: '/api/v1/tax-exemptions/:id/approve', summary: 'Approve a pending tax-exemption certificate', tag: 'customers', permission: 'customers.approve_exemption', response: exemptionOut });
documentApi({ method: 'get', path: '/api/v1/members', summary: 'Search members across accounts', tag: 'customers', permission: 'customers.view', query: listQuerySchema.extend({ sort: z.enum(MEMBER_SORTS).optional() }), response: memberOut.extend({ account_number: z.string(), account_name: z.string() }), list: true });
documentApi({ method: 'get', path: '/api/v1/members/:id', summary: 'One member', tag: 'customers', permission: 'customers.view', response: memberOut });
documentApi({ method: 'patch', path: '/api/v1/members/:id', summary: 'Change member fields (is_minor null = derive from date_of_birth)', tag: 'customers', permission: 'customers.manage', body: updateMemberSchema, response: memberOut });
documentApi({ method: 'post', path: '/api/v1/members/:id/move', summary: 'Move a member to another account, with a reason', tag: 'customers', permission: 'customers.manage', body: moveMemberSchema, response: memberOut });

const invalid = (ctx: any, error: z.ZodError) => apiError(ctx, 422, 'validation_failed', 'Some fields are invalid.', zodFieldErrors(error));

/** JSON routes of the customers area (api.md names); mounted by customersRoutes so app.ts stays untouched. */
export function customersApi(deps: AppDeps) {
  const when = async () => ({ today: await storeToday(deps.db, deps.clock), now: deps.clock.now() });
  const canApprove = (ctx: any) => !!ctx.apiPrincipal?.user.permissions.has('customers.approve_exemption');

  const accountDetail = async (id: string) => {
    const { today } = await when();
    const account = await getAccount(deps.db, id);
    const members = await membersOfAccount(deps.db, account, today);
    const exemptions = await exemptionsOfAccount(deps.db, account.id, today);
    return { ...accountJson(account), members: members.map(memberJson), tax_exemptions: exemptions.map(exemptionJson), balance_cents: await openReceivableCents(deps.db, account.id), store_credit_cents: await storeCreditBalance(deps.db, account.id) };
  };

  return new Elysia({ name: 'feature.customers.api' })
    .use(authPlugin(deps))
    .get('/api/v1/accounts', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: ACCOUNT_SORTS, defaultSort: 'name' }, 'strict');
        const q = ctx.query as Record<string, string | undefined>;
        const status = q.status ?? 'active';
        if (!['active', 'inactive', 'all'].includes(status)) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', { status: 'status must be active, inactive or all.' });
        if (q.type !== undefined && !(ACCOUNT_TYPES as readonly string[]).includes(q.type)) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', { type: `type must be one of: ${ACCOUNT_TYPES.join(', ')}.` });
        const { rows, total } = await listAccounts(deps.db, query, { status: status as 'active', type: q.type });
        return json(ctx, 200, { data: rows.map(accountJson), pagination: apiPagination(query, total) });
      }), { api: 'customers.view' })
    .post('/api/v1/accounts', (ctx) =>
      handle(ctx, async () => {
        const parsed = createAccountSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return invalid(ctx, parsed.error);
        const account = await deps.db.transaction((tx) => createAccount(tx, apiActor(ctx), parsed.data));
        return json(ctx, 201, accountJson(account));
      }), { api: 'customers.manage' })
    .get('/api/v1/accounts/:id', (ctx) => handle(ctx, async () => json(ctx, 200, await accountDetail(ctx.params.id))), { api: 'customers.view' })
    .patch('/api/v1/accounts/:id', (ctx) =>
      handle(ctx, async () => {
        const existing = await getAccount(deps.db, ctx.params.id);
        const parsed = updateAccountSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return invalid(ctx, parsed.error);
        const account = await deps.db.transaction((tx) => updateAccount(tx, apiActor(ctx), existing.id, parsed.data));
        return json(ctx, 200, accountJson(account));
      }), { api: 'customers.manage' })
    .post('/api/v1/accounts/:id/members', (ctx) =>
      handle(ctx, async () => {
        const account = await getAccount(deps.db, ctx.params.id);
        const parsed = createMemberSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return invalid(ctx, parsed.error);
        const moment = await when();
        const member = await deps.db.transaction((tx) => addMember(tx, apiActor(ctx), account.id, parsed.data, moment));
        return json(ctx, 201, memberJson(member));
      }), { api: 'customers.manage' })
    .post('/api/v1/accounts/:id/tax-exemptions', (ctx) =>
      handle(ctx, async () => {
        const account = await getAccount(deps.db, ctx.params.id);
        const parsed = taxExemptionSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return invalid(ctx, parsed.error);
        const moment = await when();
        const exemption = await deps.db.transaction((tx) => createExemption(tx, apiActor(ctx), account.id, parsed.data, { ...moment, canApprove: canApprove(ctx) }));
        return json(ctx, 201, exemptionJson(exemption));
      }), { api: 'customers.manage' })
    .post('/api/v1/tax-exemptions/:id/approve', (ctx) =>
      handle(ctx, async () => {
        const moment = await when();
        const exemption = await deps.db.transaction((tx) => approveExemption(tx, apiActor(ctx), ctx.params.id, { ...moment, canApprove: canApprove(ctx) }));
        return json(ctx, 200, exemptionJson(exemption));
      }), { api: 'customers.approve_exemption' })
    .get('/api/v1/members', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: MEMBER_SORTS, defaultSort: 'last_name' }, 'strict');
        const { rows, total } = await listMembers(deps.db, query, (await when()).today);
        return json(ctx, 200, { data: rows.map((m) => ({ ...memberJson(m), account_number: m.accountNumber, account_name: m.accountName })), pagination: apiPagination(query, total) });
      }), { api: 'customers.view' })
    .get('/api/v1/members/:id', (ctx) =>
      handle(ctx, async () => json(ctx, 200, memberJson(memberView(await getMember(deps.db, ctx.params.id), (await when()).today)))), { api: 'customers.view' })
    .patch('/api/v1/members/:id', (ctx) =>
      handle(ctx, async () => {
        const existing = await getMember(deps.db, ctx.params.id);
        const parsed = updateMemberSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return invalid(ctx, parsed.error);
        const moment = await when();
        const member = await deps.db.transaction((tx) => updateMember(tx, apiActor(ctx), existing.id, parsed.data, moment));
        return json(ctx, 200, memberJson(member));
      }), { api: 'customers.manage' })
    .post('/api/v1/members/:id/move', (ctx) =>
      handle(ctx, async () => {
        const existing = await getMember(deps.db, ctx.params.id);
        const parsed = moveMemberSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return invalid(ctx, parsed.error);
        const moment = await when();
        const member = await deps.db.transaction((tx) => moveMember(tx, apiActor(ctx), existing.id, parsed.data, moment));
        return json(ctx, 200, memberJson(member));
      }), { api: 'customers.manage' });
}
