import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { ServiceError } from '../service-errors';
import { actorOf } from '../staff/routes';
import { getMember } from './member-service';
import { getIdentityDocument } from './identity-documents';
import { documentScan, memberPhoto, removeDocumentScan, removeMemberPhoto, setDocumentScan, setMemberPhoto, SCAN_SIDE_LABELS } from './images';
import { imageResponse, uploadedBytes } from './image-response';

type Errors = Record<string, string>;

/** An upload error belongs next to its field; only an error without a field becomes the form's banner. */
const fieldErrors = (err: ServiceError): Errors => (Object.keys(err.fields).length ? { ...err.fields } : { _: err.message });

/** Re-renders the member page with an upload's errors next to its field (the page itself lives in routes.ts). */
export type MemberPageRenderer = (ctx: any, memberId: string, extra: { photoErrors?: Errors; scanForm?: { documentId: string; side: string; errors: Errors }; status?: number }) => Promise<unknown>;

/**
 * HTML routes of member photos and identity-document scans: multipart uploads (CSRF token as a form field
 * like every other form), removal behind the data-confirm prompt, and the images themselves for <img> tags.
 */
export function customerImageRoutes(deps: AppDeps, memberPage: MemberPageRenderer) {
  return new Elysia({ name: 'feature.customers.images' })
    .use(authPlugin(deps))
    .get('/customers/members/:id/photo', async (ctx) => imageResponse(ctx, await memberPhoto(deps.db, ctx.params.id), 'member-photo'), { permission: 'customers.view' })
    .post(
      '/customers/members/:id/photo',
      async (ctx) => {
        const member = await getMember(deps.db, ctx.params.id);
        const bytes = await uploadedBytes(formBody(ctx.body).photo);
        try {
          const change = await deps.db.transaction((tx) => setMemberPhoto(tx, actorOf(ctx), member.id, bytes));
          setFlash(deps, ctx, { kind: 'success', message: change.replaced ? 'Photo replaced.' : 'Photo added.' });
          return redirect(ctx, `/customers/members/${member.id}`);
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return memberPage(ctx, member.id, { photoErrors: fieldErrors(err), status: err.status });
          throw err;
        }
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/members/:id/photo/delete',
      async (ctx) => {
        const member = await getMember(deps.db, ctx.params.id);
        await deps.db.transaction((tx) => removeMemberPhoto(tx, actorOf(ctx), member.id));
        setFlash(deps, ctx, { kind: 'success', message: 'Photo removed.' });
        return redirect(ctx, `/customers/members/${member.id}`);
      },
      { permission: 'customers.manage' },
    )
    .get('/customers/documents/:id/scans/:side', async (ctx) => imageResponse(ctx, await documentScan(deps.db, ctx.params.id, ctx.params.side), `id-scan-${ctx.params.side}`), { permission: 'customers.view' })
    .post(
      '/customers/documents/:id/scans',
      async (ctx) => {
        const doc = await getIdentityDocument(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const side = formString(body, 'side');
        const bytes = await uploadedBytes(body.scan);
        try {
          const change = await deps.db.transaction((tx) => setDocumentScan(tx, actorOf(ctx), doc.id, side, bytes));
          setFlash(deps, ctx, { kind: 'success', message: `${SCAN_SIDE_LABELS[change.image.side!]} scan ${change.replaced ? 'replaced' : 'added'}.` });
          return redirect(ctx, `/customers/members/${doc.memberId}`);
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return memberPage(ctx, doc.memberId, { scanForm: { documentId: doc.id, side, errors: fieldErrors(err) }, status: err.status });
          throw err;
        }
      },
      { permission: 'customers.manage' },
    )
    .post(
      '/customers/documents/:id/scans/:side/delete',
      async (ctx) => {
        const removed = await deps.db.transaction((tx) => removeDocumentScan(tx, actorOf(ctx), ctx.params.id, ctx.params.side));
        setFlash(deps, ctx, { kind: 'success', message: `${SCAN_SIDE_LABELS[removed.side!]} scan removed.` });
        return redirect(ctx, `/customers/members/${removed.memberId}`);
      },
      { permission: 'customers.manage' },
    );
}
