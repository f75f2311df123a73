import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { ACCOUNT_SORTS, ACCOUNT_TYPES, createAccountSchema, createMemberSchema, identityDocumentSchema, moveMemberSchema, taxExemptionSchema, updateAccountSchema, updateMemberSchema } from './schemas';
import { createAccount, getAccount, getAccountByNumber, listAccounts, updateAccount } from './account-service';
import { addMember, getMember, memberView, moveMember, updateMember } from './member-service';
import { addIdentityDocument, documentsOfMembers, removeIdentityDocument } from './identity-documents';
import { approveExemption, createExemption, getExemption, withdrawExemption } from './tax-exemptions';
import { accountPageData } from './queries';
import { accountReceivables } from './ar';
import { storeToday } from '../settings/service';
import { DuplicateAccountError } from './errors';
import { accountFormErrors, accountFormFromRow, accountFormValues, accountInputFromForm, memberFormErrors, memberFormFromRow, memberFormValues, memberInputFromForm, readFields, type FormValues } from './forms';
import { customersApi } from './api';
import { customerImagesApi } from './images-api';
import { customerImageRoutes, type MemberPageRenderer } from './image-routes';
import { photoOfMember, scansOfDocuments } from './images';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import type { AccountListRow } from './account-service';

type Errors = Record<string, string>;
const EMPTY_ACCOUNT: FormValues = { type: 'family', billing_mode: 'consolidated', country: 'US', credit_limit: '0.00' };

/** HTML pages of customer accounts and members; the JSON API is `./api.ts`, mounted here. */
export function customersRoutes(deps: AppDeps) {
  const today = () => storeToday(deps.db, deps.clock);
  const when = async () => ({ today: await today(), now: deps.clock.now() });
  const canApprove = (ctx: any) => !!ctx.user?.permissions?.has('customers.approve_exemption');

  /** Runs a write; a ServiceError re-renders the form through `onError`, anything else propagates. */
  const attempt = async (fn: () => Promise<unknown>, onError: (err: ServiceError) => unknown) => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ServiceError && err.status !== 404) return onError(err);
      throw err;
    }
  };

  const listFilters = (ctx: any) => ({
    status: ['active', 'inactive', 'all'].includes(ctx.query.status) ? (ctx.query.status as 'active') : ('active' as const),
    type: (ACCOUNT_TYPES as readonly string[]).includes(ctx.query.type) ? (ctx.query.type as string) : '',
  });

  const listPage = async (ctx: any) => {
    const query = parseListQuery(ctx.query, { sorts: ACCOUNT_SORTS, defaultSort: 'name' });
    const { status, type } = listFilters(ctx);
    const { rows, total } = await listAccounts(deps.db, query, { status, type: type || undefined });
    const params: Record<string, string> = {};
    if (status !== 'active') params.status = status;
    if (type) params.type = type;
    const list = buildListModel('/customers', query, rows, total, params, { csv: true });
    return renderPage(deps, ctx, { template: 'customers/page', fragment: 'customers/_list', title: 'Customers', data: { list, status, type } });
  };

  const newPage = (ctx: any, values: FormValues, errors: Errors = {}, status = 200, duplicates: DuplicateAccountError['matches'] = []) =>
    renderPage(deps, ctx, { template: 'customers/new', title: 'New customer account', status, data: { values, errors, duplicates } });

  const editPage = async (ctx: any, id: string, values?: FormValues, errors: Errors = {}, status = 200) => {
    const account = await getAccount(deps.db, id);
    return renderPage(deps, ctx, { template: 'customers/edit', title: `Edit ${account.name}`, status, data: { account, values: values ?? accountFormFromRow(account), errors } });
  };

  const detailPage = async (ctx: any, id: string, extra: { exemption?: FormValues; exemptionErrors?: Errors; status?: number } = {}) => {
    const day = await today();
    const historyPage = /^\d{1,4}$/.test(ctx.query?.history ?? '') ? Math.max(1, Number(ctx.query.history)) : 1;
    const data = await accountPageData(deps.db, id, day, historyPage);
    const ar = await accountReceivables(deps.db, data.account.id, day);
    return renderPage(deps, ctx, {
      template: 'customers/detail',
      title: data.account.name,
      status: extra.status ?? 200,
      data: { ...data, ar, today: day, exemption: extra.exemption ?? {}, exemptionErrors: extra.exemptionErrors ?? {} },
    });
  };

  const memberNewPage = async (ctx: any, accountId: string, values: FormValues = { minor: 'auto' }, errors: Errors = {}, status = 200) => {
    const account = await getAccount(deps.db, accountId);
    return renderPage(deps, ctx, { template: 'customers/member-new', title: `Add member to ${account.name}`, status, data: { account, values, errors } });
  };

  const memberPage = async (ctx: any, id: string, extra: { values?: FormValues; errors?: Errors; doc?: FormValues; docErrors?: Errors; status?: number } & Parameters<MemberPageRenderer>[2] = {}) => {
    const day = await today();
    const member = memberView(await getMember(deps.db, id), day);
    const account = await getAccount(deps.db, member.accountId);
    const documents = (await documentsOfMembers(deps.db, [member.id])).get(member.id) ?? [];
    const photo = await photoOfMember(deps.db, member.id);
    const scans = await scansOfDocuments(deps.db, documents.map((d) => d.id));
    return renderPage(deps, ctx, {
      template: 'customers/member',
      title: `${member.firstName} ${member.lastName}`,
      status: extra.status ?? 200,
      data: {
        member,
        account,
        documents,
        values: extra.values ?? memberFormFromRow(member),
        errors: extra.errors ?? {},
        doc: extra.doc ?? { doc_type: 'drivers_license' },
        docErrors: extra.docErrors ?? {},
        photo,
        scans,
        photoErrors: extra.photoErrors ?? {},
        scanForm: extra.scanForm ?? null,
      },
    });
  };

  const movePage = async (ctx: any, id: string, values: FormValues = {}, errors: Errors = {}, status = 200) => {
    const member = await getMember(deps.db, id);
    const account = await getAccount(deps.db, member.accountId);
    return renderPage(deps, ctx, { template: 'customers/move', title: `Move ${member.firstName} ${member.lastName}`, status, data: { member, account, values, errors } });
  };

  return new Elysia({ name: 'feature.customers' })
    .use(authPlugin(deps))
    .use(customersApi(deps))
    .use(customerImagesApi(deps))
    .use(customerImageRoutes(deps, memberPage))
    .get('/customers', listPage, { permission: 'customers.view' })
    .get(
      '/customers/export.csv',
      async (ctx) => {
        // Same search, filters and sort as the list on screen, every row (capped); money as decimal `*_amount` (docs/csv.md).
        const query = { ...parseListQuery(ctx.query, { sorts: ACCOUNT_SORTS, defaultSort: 'name' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { status, type } = listFilters(ctx);
        const { rows } = await listAccounts(deps.db, query, { status, type: type || undefined });
        Object.assign(ctx.set.headers, csvDownloadHeaders('customers', await today()));
        return toCsv<AccountListRow>(
          [
            { header: 'number', value: (r) => r.number },
            { header: 'name', value: (r) => r.name },
            { header: 'type', value: (r) => r.type },
            { header: 'email', value: (r) => r.email },
            { header: 'phone', value: (r) => r.phone },
            { header: 'phone2', value: (r) => r.phone2 },
            { header: 'address_line1', value: (r) => r.addressLine1 },
            { header: 'address_line2', value: (r) => r.addressLine2 },
            { header: 'city', value: (r) => r.city },
            { header: 'region', value: (r) => r.region },
            { header: 'postal_code', value: (r) => r.postalCode },
            { header: 'country', value: (r) => r.country },
            { header: 'billing_mode', value: (r) => r.billingMode },
            { header: 'billing_day', value: (r) => r.billingDay },
            { header: 'charge_allowed', value: (r) => r.chargeAllowed },
            { header: 'credit_limit_amount', value: (r) => centsToDecimalString(r.creditLimitCents) },
            { header: 'tags', value: (r) => r.tags.join('; ') },
            { header: 'member_count', value: (r) => r.memberCount },
            { header: 'active', value: (r) => r.isActive },
            { header: 'legacy_id', value: (r) => r.legacyId },
            { header: 'created_at', value: (r) => r.createdAt },
          ],
          rows,
        );
      },
      { permission: 'customers.view' },
    )
    .get('/customers/new', (ctx) => newPage(ctx, EMPTY_ACCOUNT), { permission: 'customers.manage' })
    .post(
      '/customers',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = accountFormValues(body);
        const confirmed = formString(body, 'confirm_duplicate') === '1';
        const { input, errors } = accountInputFromForm(values);
        const parsed = createAccountSchema.safeParse({ ...input, confirm_duplicate: confirmed });
        if (!parsed.success || Object.keys(errors).length) return newPage(ctx, values, { ...accountFormErrors(parsed.success ? {} : zodFieldErrors(parsed.error)), ...errors }, 422);
        return attempt(
          async () => {
            const account = await deps.db.transaction(async (tx) => createAccount(tx, actorOf(ctx), parsed.data));
            setFlash(deps, ctx, { kind: 'success', message: `Account #${account.number} created. Add its members next.` });
            return redirect(ctx, `/customers/${account.id}`);
          },
          (err) => newPage(ctx, values, { ...err.fields, _: err.message }, err.status, err instanceof DuplicateAccountError ? err.matches : []),
        );
      },
      { permission: 'customers.manage' },
    )
    .get('/customers/:id', (ctx) => detailPage(ctx, ctx.params.id), { permission: 'customers.view' })
    .get('/customers/:id/edit', (ctx) => editPage(ctx, ctx.params.id), { permission: 'customers.manage' })
    .post(
      '/customers/:id',
      async (ctx) => {
        const account = await getAccount(deps.db, ctx.params.id);
        const values = accountFormValues(formBody(ctx.body));
        const { input, errors } = accountInputFromForm(values);
        const parsed = updateAccountSchema.safeParse(input);
        if (!parsed.success || Object.keys(errors).length) return editPage(ctx, account.id, values, { ...accountFormErrors(parsed.success ? {} : zodFieldErrors(parsed.error)), ...errors }, 422);
        return attempt(
          async () => {
            await deps.db.transaction((tx) => updateAccount(tx, actorOf(ctx), account.id, parsed.data));
            setFlash(deps, ctx, { kind: 'success', message: 'Changes saved.' });
            return redirect(ctx, `/customers/${account.id}`);
          },
          (err) => editPage(ctx, account.id, values, { ...err.fields, _: err.message }, err.status),
        );
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/:id/active',
      async (ctx) => {
        const account = await getAccount(deps.db, ctx.params.id);
        const active = formString(formBody(ctx.body), 'active') === 'true';
        await deps.db.transaction((tx) => updateAccount(tx, actorOf(ctx), account.id, { is_active: active }));
        setFlash(deps, ctx, { kind: 'success', message: active ? `Account #${account.number} is active again.` : `Account #${account.number} is deactivated. Its history is kept.` });
        return redirect(ctx, `/customers/${account.id}`);
      },
      { permission: 'customers.manage' },
    )
    .get('/customers/:id/members/new', (ctx) => memberNewPage(ctx, ctx.params.id), { permission: 'customers.manage' })
    .post(
      '/customers/:id/members',
      async (ctx) => {
        const account = await getAccount(deps.db, ctx.params.id);
        const values = memberFormValues(formBody(ctx.body));
        const parsed = createMemberSchema.safeParse(memberInputFromForm(values));
        if (!parsed.success) return memberNewPage(ctx, account.id, values, memberFormErrors(zodFieldErrors(parsed.error)), 422);
        const moment = await when();
        return attempt(
          async () => {
            const member = await deps.db.transaction((tx) => addMember(tx, actorOf(ctx), account.id, parsed.data, moment));
            setFlash(deps, ctx, { kind: 'success', message: `${member.firstName} ${member.lastName} added as member #${member.number}.` });
            return redirect(ctx, `/customers/${account.id}`);
          },
          (err) => memberNewPage(ctx, account.id, values, { ...err.fields, _: err.message }, err.status),
        );
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/:id/tax-exemptions',
      async (ctx) => {
        const account = await getAccount(deps.db, ctx.params.id);
        const values = readFields(formBody(ctx.body), ['certificate_number', 'issuing_state', 'expires_on', 'status', 'notes']);
        const parsed = taxExemptionSchema.safeParse({ ...values, status: values.status || 'pending' });
        if (!parsed.success) return detailPage(ctx, account.id, { exemption: values, exemptionErrors: zodFieldErrors(parsed.error), status: 422 });
        const moment = await when();
        return attempt(
          async () => {
            await deps.db.transaction((tx) => createExemption(tx, actorOf(ctx), account.id, parsed.data, { ...moment, canApprove: canApprove(ctx) }));
            setFlash(deps, ctx, { kind: 'success', message: parsed.data.status === 'approved' ? 'Tax exemption recorded and approved.' : 'Tax exemption recorded; it exempts sales once a manager approves it.' });
            return redirect(ctx, `/customers/${account.id}`);
          },
          (err) => detailPage(ctx, account.id, { exemption: values, exemptionErrors: { ...err.fields, _: err.message }, status: err.status }),
        );
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/tax-exemptions/:id/approve',
      async (ctx) => {
        const moment = await when();
        const exemption = await getExemption(deps.db, ctx.params.id, moment.today);
        await attempt(
          async () => {
            await deps.db.transaction((tx) => approveExemption(tx, actorOf(ctx), exemption.id, { ...moment, canApprove: canApprove(ctx) }));
            setFlash(deps, ctx, { kind: 'success', message: `Tax exemption ${exemption.certificateNumber} approved.` });
          },
          (err) => setFlash(deps, ctx, { kind: 'error', message: [err.message, ...Object.values(err.fields)].join(' ') }),
        );
        return redirect(ctx, `/customers/${exemption.accountId}`);
      },
      { permission: 'customers.approve_exemption' },
    )
    .post(
      '/customers/tax-exemptions/:id/withdraw',
      async (ctx) => {
        const moment = await when();
        const exemption = await getExemption(deps.db, ctx.params.id, moment.today);
        await attempt(
          async () => {
            await deps.db.transaction((tx) => withdrawExemption(tx, actorOf(ctx), exemption.id, { ...moment, canApprove: canApprove(ctx) }));
            setFlash(deps, ctx, { kind: 'success', message: 'Tax exemption withdrawn; sales to this account are taxed.' });
          },
          (err) => setFlash(deps, ctx, { kind: 'error', message: err.message }),
        );
        return redirect(ctx, `/customers/${exemption.accountId}`);
      },
      { permission: 'customers.manage' },
    )
    .get('/customers/members/:id', (ctx) => memberPage(ctx, ctx.params.id), { permission: 'customers.view' })
    .post(
      '/customers/members/:id',
      async (ctx) => {
        const member = await getMember(deps.db, ctx.params.id);
        const values = memberFormValues(formBody(ctx.body));
        const parsed = updateMemberSchema.safeParse(memberInputFromForm(values));
        if (!parsed.success) return memberPage(ctx, member.id, { values, errors: memberFormErrors(zodFieldErrors(parsed.error)), status: 422 });
        const moment = await when();
        return attempt(
          async () => {
            await deps.db.transaction((tx) => updateMember(tx, actorOf(ctx), member.id, parsed.data, moment));
            setFlash(deps, ctx, { kind: 'success', message: 'Changes saved.' });
            return redirect(ctx, `/customers/${member.accountId}`);
          },
          (err) => memberPage(ctx, member.id, { values, errors: { ...err.fields, _: err.message }, status: err.status }),
        );
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/members/:id/documents',
      async (ctx) => {
        const member = await getMember(deps.db, ctx.params.id);
        const doc = readFields(formBody(ctx.body), ['doc_type', 'number', 'issuing_region', 'expires_on', 'notes']);
        const parsed = identityDocumentSchema.safeParse(doc);
        if (!parsed.success) return memberPage(ctx, member.id, { doc, docErrors: zodFieldErrors(parsed.error), status: 422 });
        await deps.db.transaction((tx) => addIdentityDocument(tx, actorOf(ctx), member.id, parsed.data));
        setFlash(deps, ctx, { kind: 'success', message: 'Identity document added.' });
        return redirect(ctx, `/customers/members/${member.id}`);
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/documents/:id/delete',
      async (ctx) => {
        const removed = await deps.db.transaction((tx) => removeIdentityDocument(tx, actorOf(ctx), ctx.params.id));
        setFlash(deps, ctx, { kind: 'success', message: 'Identity document removed.' });
        return redirect(ctx, `/customers/members/${removed.memberId}`);
      },
      { permission: 'customers.manage' },
    )
    .get('/customers/members/:id/move', (ctx) => movePage(ctx, ctx.params.id), { permission: 'customers.manage' })
    .post(
      '/customers/members/:id/move',
      async (ctx) => {
        const member = await getMember(deps.db, ctx.params.id);
        const values = readFields(formBody(ctx.body), ['to_account', 'reason']);
        // Staff type the target's account number; the service works with ids like the API.
        const target = /^\d{6}$/.test(values.to_account.trim()) ? await getAccountByNumber(deps.db, values.to_account) : null;
        const parsed = moveMemberSchema.safeParse({ to_account_id: target?.id, reason: values.reason });
        const errors: Errors = parsed.success ? {} : zodFieldErrors(parsed.error);
        if (!target) errors.to_account = values.to_account.trim() ? 'No account has that number.' : 'Enter the 6-digit number of the account to move to.';
        delete errors.to_account_id;
        if (!parsed.success || Object.keys(errors).length) return movePage(ctx, member.id, values, errors, 422);
        const moment = await when();
        return attempt(
          async () => {
            const moved = await deps.db.transaction((tx) => moveMember(tx, actorOf(ctx), member.id, parsed.data, moment));
            setFlash(deps, ctx, { kind: 'success', message: `${moved.firstName} ${moved.lastName} moved to account #${target!.number}.` });
            return redirect(ctx, `/customers/${moved.accountId}`);
          },
          (err) => {
            const fields: Errors = { ...err.fields };
            if (fields.to_account_id) fields.to_account = fields.to_account_id;
            delete fields.to_account_id;
            return movePage(ctx, member.id, values, { ...fields, _: err.message }, err.status);
          },
        );
      },
      { permission: 'customers.manage' },
    );
}
