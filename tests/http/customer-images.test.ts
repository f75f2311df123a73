import { beforeEach, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, BASE, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
let token: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
});

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
// Real, decodable 1×1 images.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const WEBP = Buffer.from('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA', 'base64');
const TEXT = Buffer.from('definitely not an image, just text with a .png name');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** A PNG signature padded to `size` bytes: passes the magic-byte check, so only the size decides. */
const pngOfSize = (size: number) => {
  const b = Buffer.alloc(size);
  PNG.copy(b, 0, 0, 8);
  return b;
};

const count = async (table: string, where = 'true') => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where ${where}`)))[0].n;
const audits = (action: string) => t.deps.db.execute<any>(sql`select entity_id, actor_label, before, after from audit_log where action = ${action} order by id`);

async function household() {
  const res = await apiRequest(t.app, 'POST', '/api/v1/accounts', { token, json: { name: 'Smith family', type: 'family' } });
  const account = res.json();
  const member = (await apiRequest(t.app, 'POST', `/api/v1/accounts/${account.id}/members`, { token, json: { first_name: 'Jane', last_name: 'Smith' } })).json();
  return { accountId: account.id as string, memberId: member.id as string };
}

async function addDocument(client: TestClient, memberId: string) {
  await client.get(`/customers/members/${memberId}`);
  const res = await client.postForm(`/customers/members/${memberId}/documents`, { doc_type: 'drivers_license', number: 'D123-4567', issuing_region: 'IL', expires_on: '2030-01-31', notes: '' });
  expect(res.status).toBe(303);
  const [doc] = await t.deps.db.execute<{ id: string }>(sql`select id from identity_documents where member_id = ${memberId} order by created_at desc limit 1`);
  return doc.id;
}

/** Posts a multipart form like a browser on this site: Origin header, CSRF token as a form field. */
function postMultipart(client: TestClient, path: string, fields: Record<string, string>, files: Record<string, { bytes: Uint8Array; name: string; type: string }>, opts: { csrf?: string | null } = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, f] of Object.entries(files)) form.append(k, new File([f.bytes as BlobPart], f.name, { type: f.type }));
  const csrf = opts.csrf === undefined ? client.csrf : opts.csrf;
  if (csrf !== null) form.append('_csrf', csrf);
  return client.request('POST', path, { body: form, headers: { origin: BASE } });
}

const putPhoto = (memberId: string, body: Uint8Array | string, contentType = 'image/png', tok = token) =>
  t.app.handle(new Request(`${BASE}/api/v1/members/${memberId}/photo`, { method: 'PUT', body: body as BodyInit, headers: { authorization: `Bearer ${tok}`, 'content-type': contentType } }));
const getImage = (client: TestClient, path: string, headers: Record<string, string> = {}) => {
  const h: Record<string, string> = { ...headers, cookie: [...client.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ') };
  return t.app.handle(new Request(BASE + path, { headers: h }));
};

describe('member photo through the pages', () => {
  test('upload, show, serve with cache headers, replace, remove with confirmation; audited under the member', async () => {
    const { accountId, memberId } = await household();
    let page = await owner.get(`/customers/members/${memberId}`);
    expect(page.text).toContain('No photo on file.');
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('accept="image/jpeg,image/png,image/webp"');

    const up = await postMultipart(owner, `/customers/members/${memberId}/photo`, {}, { photo: { bytes: PNG, name: 'jane.png', type: 'image/png' } });
    expect(up.status).toBe(303);
    expect(up.headers.get('location')).toBe(`/customers/members/${memberId}`);
    const [row] = await t.deps.db.execute<any>(sql`select kind, member_id, content_type, byte_size, sha256, created_by_label from customer_images`);
    expect(row).toEqual({ kind: 'member_photo', member_id: memberId, content_type: 'image/png', byte_size: PNG.length, sha256: sha(PNG), created_by_label: 'olivia' });

    page = await owner.get(`/customers/members/${memberId}`);
    expect(page.text).toContain('Photo added.');
    expect(page.text).toContain(`src="/customers/members/${memberId}/photo?v=${sha(PNG).slice(0, 12)}"`);
    expect(page.text).toContain(`action="/customers/members/${memberId}/photo/delete"`);
    expect(page.text).toMatch(/data-confirm="Remove the photo of Jane Smith\?"/);
    // The account page shows the thumbnail in the member's row.
    const accountPage = await owner.get(`/customers/${accountId}`);
    expect(accountPage.text).toMatch(new RegExp(`<img class="avatar avatar-photo" src="/customers/members/${memberId}/photo\\?v=${sha(PNG).slice(0, 12)}"`));

    const served = await getImage(owner, `/customers/members/${memberId}/photo`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('private, max-age=600');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('etag')).toBe(`"${sha(PNG)}"`);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    const notModified = await getImage(owner, `/customers/members/${memberId}/photo`, { 'if-none-match': `"${sha(PNG)}"` });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');

    // Replace: one photo per member, the old row is gone, the content type comes from the bytes.
    await owner.get(`/customers/members/${memberId}`);
    const replaced = await postMultipart(owner, `/customers/members/${memberId}/photo`, {}, { photo: { bytes: JPEG, name: 'jane.png', type: 'image/png' } });
    expect(replaced.status).toBe(303);
    expect(await count('customer_images')).toBe(1);
    const again = await getImage(owner, `/customers/members/${memberId}/photo`, { 'if-none-match': `"${sha(PNG)}"` });
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toBe('image/jpeg');
    expect(again.headers.get('etag')).toBe(`"${sha(JPEG)}"`);

    await owner.get(`/customers/members/${memberId}`);
    const removed = await owner.postForm(`/customers/members/${memberId}/photo/delete`, {});
    expect(removed.status).toBe(303);
    expect(await count('customer_images')).toBe(0);
    expect((await getImage(owner, `/customers/members/${memberId}/photo`)).status).toBe(404);
    // Removing again: nothing to remove.
    await owner.get(`/customers/members/${memberId}`);
    expect((await owner.postForm(`/customers/members/${memberId}/photo/delete`, {})).status).toBe(404);

    const add = await audits('member.photo.add');
    const replace = await audits('member.photo.replace');
    const remove = await audits('member.photo.remove');
    expect(add).toHaveLength(1);
    expect(add[0]).toMatchObject({ entity_id: memberId, actor_label: 'olivia', before: null, after: { content_type: 'image/png', byte_size: PNG.length, sha256: sha(PNG) } });
    expect(replace[0]).toMatchObject({ entity_id: memberId, before: { sha256: sha(PNG) }, after: { content_type: 'image/jpeg', sha256: sha(JPEG) } });
    expect(remove[0]).toMatchObject({ entity_id: memberId, before: { sha256: sha(JPEG) }, after: null });
    // The bytes themselves never go into the audit log.
    expect(JSON.stringify([add, replace, remove])).not.toContain('"data"');
    // The account's history shows the photo changes (filed under the member).
    expect((await owner.get(`/customers/${accountId}`)).text).toContain('member.photo.remove');
  });

  test('refused uploads: error next to the field, nothing written', async () => {
    const { memberId } = await household();
    const cases: [{ bytes: Uint8Array; name: string; type: string } | null, number, string][] = [
      [{ bytes: TEXT, name: 'photo.png', type: 'image/png' }, 415, 'Photo must be a JPEG, PNG or WebP image up to 5 MB.'],
      [{ bytes: GIF, name: 'photo.gif', type: 'image/gif' }, 415, 'Photo must be a JPEG, PNG or WebP image up to 5 MB.'],
      [{ bytes: pngOfSize(5 * 1024 * 1024 + 1), name: 'big.png', type: 'image/png' }, 413, 'Photo must be a JPEG, PNG or WebP image up to 5 MB.'],
      [{ bytes: new Uint8Array(), name: '', type: 'application/octet-stream' }, 422, 'Choose a photo to upload.'],
      [null, 422, 'Choose a photo to upload.'],
    ];
    for (const [file, status, message] of cases) {
      await owner.get(`/customers/members/${memberId}`);
      const res = await postMultipart(owner, `/customers/members/${memberId}/photo`, {}, file ? { photo: file } : {});
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toMatch(/<p class="field-error" id="f-photo-error">/);
    }
    // No CSRF token: refused before anything is read into the database.
    expect((await postMultipart(owner, `/customers/members/${memberId}/photo`, {}, { photo: { bytes: PNG, name: 'a.png', type: 'image/png' } }, { csrf: null })).status).toBe(403);
    // Unknown and malformed member ids.
    await owner.get(`/customers/members/${memberId}`);
    expect((await postMultipart(owner, `/customers/members/${UNKNOWN}/photo`, {}, { photo: { bytes: PNG, name: 'a.png', type: 'image/png' } })).status).toBe(404);
    expect((await postMultipart(owner, `/customers/members/not-a-uuid/photo`, {}, { photo: { bytes: PNG, name: 'a.png', type: 'image/png' } })).status).toBe(404);
    expect((await getImage(owner, `/customers/members/${UNKNOWN}/photo`)).status).toBe(404);
    expect((await getImage(owner, `/customers/members/not-a-uuid/photo`)).status).toBe(404);
    expect(await count('customer_images')).toBe(0);
    expect(await count('audit_log', "action like 'member.photo.%'")).toBe(0);

    // Exactly 5 MB is accepted.
    await owner.get(`/customers/members/${memberId}`);
    expect((await postMultipart(owner, `/customers/members/${memberId}/photo`, {}, { photo: { bytes: pngOfSize(5 * 1024 * 1024), name: 'max.png', type: 'image/png' } })).status).toBe(303);
    expect(await count('customer_images', `byte_size = ${5 * 1024 * 1024}`)).toBe(1);
  });

  test('customers.view sees photos; only customers.manage uploads or removes', async () => {
    const { memberId } = await household();
    await putPhoto(memberId, PNG);
    await addStaff(t, 'tech', ['technician']); // customers.view, not customers.manage
    const tech = await signIn(t, 'tech', 'staff password 123');
    const page = await tech.get(`/customers/members/${memberId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`/customers/members/${memberId}/photo?v=`);
    expect(page.text).not.toContain('name="photo"');
    expect(page.text).not.toContain('/photo/delete');
    expect((await getImage(tech, `/customers/members/${memberId}/photo`)).status).toBe(200);
    const upload = await postMultipart(tech, `/customers/members/${memberId}/photo`, {}, { photo: { bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' } });
    expect(upload.status).toBe(403);
    expect((await tech.postForm(`/customers/members/${memberId}/photo/delete`, {})).status).toBe(403);
    const [row] = await t.deps.db.execute<any>(sql`select sha256 from customer_images`);
    expect(row.sha256).toBe(sha(PNG));
    // Signed out: the image itself needs a session.
    const anonymous = await t.app.handle(new Request(`${BASE}/customers/members/${memberId}/photo`));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toStartWith('/login');
  });
});

describe('identity-document scans through the pages', () => {
  test('front and back, replace a side, serve, remove; scans go with their document', async () => {
    const { memberId } = await household();
    const docId = await addDocument(owner, memberId);
    let page = await owner.get(`/customers/members/${memberId}`);
    expect(page.text).toContain(`action="/customers/documents/${docId}/scans"`);
    expect(page.text).toContain('Add scans');

    const front = await postMultipart(owner, `/customers/documents/${docId}/scans`, { side: 'front' }, { scan: { bytes: PNG, name: 'front.png', type: 'image/png' } });
    expect(front.status).toBe(303);
    expect(front.headers.get('location')).toBe(`/customers/members/${memberId}`);
    page = await owner.get(`/customers/members/${memberId}`);
    expect(page.text).toContain('Front scan added.');
    expect(page.text).toContain('Add the back scan');
    await postMultipart(owner, `/customers/documents/${docId}/scans`, { side: 'back' }, { scan: { bytes: WEBP, name: 'back.webp', type: 'image/webp' } });
    page = await owner.get(`/customers/members/${memberId}`);
    expect(page.text).toContain('Replace a scan');
    expect(page.text).toContain(`src="/customers/documents/${docId}/scans/front?v=${sha(PNG).slice(0, 12)}"`);
    expect(page.text).toContain(`src="/customers/documents/${docId}/scans/back?v=${sha(WEBP).slice(0, 12)}"`);
    expect(page.text).toContain(`data-confirm="Remove the back scan of this Driver&#39;s license?"`);

    // At most two: a third upload replaces the side it names.
    const again = await postMultipart(owner, `/customers/documents/${docId}/scans`, { side: 'front' }, { scan: { bytes: JPEG, name: 'front2.jpg', type: 'image/jpeg' } });
    expect(again.status).toBe(303);
    expect(await count('customer_images', `identity_document_id = '${docId}'`)).toBe(2);
    const served = await getImage(owner, `/customers/documents/${docId}/scans/front`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('etag')).toBe(`"${sha(JPEG)}"`);
    expect(served.headers.get('cache-control')).toBe('private, max-age=600');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await getImage(owner, `/customers/documents/${docId}/scans/back`)).headers.get('content-type')).toBe('image/webp');
    expect((await getImage(owner, `/customers/documents/${docId}/scans/side`)).status).toBe(404);
    expect((await getImage(owner, `/customers/documents/${UNKNOWN}/scans/front`)).status).toBe(404);

    await owner.get(`/customers/members/${memberId}`);
    expect((await owner.postForm(`/customers/documents/${docId}/scans/back/delete`, {})).status).toBe(303);
    expect((await getImage(owner, `/customers/documents/${docId}/scans/back`)).status).toBe(404);
    expect((await owner.postForm(`/customers/documents/${docId}/scans/back/delete`, {})).status).toBe(404);
    expect((await owner.postForm(`/customers/documents/${docId}/scans/middle/delete`, {})).status).toBe(404);

    expect((await audits('member.identity_document.scan_add')).map((a) => a.after.side)).toEqual(['front', 'back']);
    expect(await audits('member.identity_document.scan_replace')).toMatchObject([{ entity_id: memberId, before: { side: 'front', sha256: sha(PNG) }, after: { side: 'front', sha256: sha(JPEG), identity_document_id: docId } }]);
    expect(await audits('member.identity_document.scan_remove')).toMatchObject([{ entity_id: memberId, before: { side: 'back' } }]);

    // Removing the document removes its remaining scan (the confirmation says so).
    page = await owner.get(`/customers/members/${memberId}`);
    expect(page.text).toContain('Remove this Driver&#39;s license and its scans?');
    expect((await owner.postForm(`/customers/documents/${docId}/delete`, {})).status).toBe(303);
    expect(await count('customer_images')).toBe(0);
  });

  test('refused scans: error next to the field of that document, nothing written', async () => {
    const { memberId } = await household();
    const docId = await addDocument(owner, memberId);
    const cases: [Record<string, string>, { bytes: Uint8Array; name: string; type: string } | null, number, string, string][] = [
      [{ side: 'front' }, { bytes: TEXT, name: 'scan.png', type: 'image/png' }, 415, 'Scan must be a JPEG, PNG or WebP image up to 5 MB.', `f-scan-${docId}-error`],
      [{ side: 'front' }, { bytes: pngOfSize(5 * 1024 * 1024 + 1), name: 'big.png', type: 'image/png' }, 413, 'Scan must be a JPEG, PNG or WebP image up to 5 MB.', `f-scan-${docId}-error`],
      [{ side: 'front' }, null, 422, 'Choose a scan to upload.', `f-scan-${docId}-error`],
      [{ side: 'middle' }, { bytes: PNG, name: 'a.png', type: 'image/png' }, 422, 'Choose the front or the back of the document.', `f-scan-side-${docId}-error`],
      [{}, { bytes: PNG, name: 'a.png', type: 'image/png' }, 422, 'Choose the front or the back of the document.', `f-scan-side-${docId}-error`],
    ];
    for (const [fields, file, status, message, errorId] of cases) {
      await owner.get(`/customers/members/${memberId}`);
      const res = await postMultipart(owner, `/customers/documents/${docId}/scans`, fields, file ? { scan: file } : {});
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="${errorId}"`);
      // The form of that document comes back open.
      expect(res.text).toMatch(/<details class="disclosure disclosure-form scan-upload" open>/);
    }
    await owner.get(`/customers/members/${memberId}`);
    expect((await postMultipart(owner, `/customers/documents/${UNKNOWN}/scans`, { side: 'front' }, { scan: { bytes: PNG, name: 'a.png', type: 'image/png' } })).status).toBe(404);
    expect((await postMultipart(owner, `/customers/documents/nope/scans`, { side: 'front' }, { scan: { bytes: PNG, name: 'a.png', type: 'image/png' } })).status).toBe(404);
    expect(await count('customer_images')).toBe(0);
    expect(await count('audit_log', "action like '%scan%'")).toBe(0);

    // Without customers.manage: refused.
    await addStaff(t, 'tutor', ['instructor']);
    const tutor = await signIn(t, 'tutor', 'staff password 123');
    await tutor.get(`/customers/members/${memberId}`);
    expect((await postMultipart(tutor, `/customers/documents/${docId}/scans`, { side: 'front' }, { scan: { bytes: PNG, name: 'a.png', type: 'image/png' } })).status).toBe(403);
    expect(await count('customer_images')).toBe(0);
  });
});

describe('member photo API', () => {
  test('PUT raw bytes, GET with ETag/304, replace, DELETE', async () => {
    const { memberId } = await household();
    const put = await putPhoto(memberId, PNG);
    expect(put.status).toBe(200);
    const body = await put.json();
    expect(body).toMatchObject({ member_id: memberId, content_type: 'image/png', byte_size: PNG.length, sha256: sha(PNG), created_by: 'api:test', url: `/api/v1/members/${memberId}/photo` });
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const get = await t.app.handle(new Request(`${BASE}/api/v1/members/${memberId}/photo`, { headers: { authorization: `Bearer ${token}` } }));
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('image/png');
    expect(get.headers.get('etag')).toBe(`"${sha(PNG)}"`);
    expect(get.headers.get('cache-control')).toBe('private, max-age=600');
    expect(get.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await get.arrayBuffer()).equals(PNG)).toBe(true);
    const cached = await t.app.handle(new Request(`${BASE}/api/v1/members/${memberId}/photo`, { headers: { authorization: `Bearer ${token}`, 'if-none-match': `W/"x", "${sha(PNG)}"` } }));
    expect(cached.status).toBe(304);

    // The declared Content-Type is not trusted: WebP bytes sent as image/jpeg are stored as WebP.
    const replaced = await putPhoto(memberId, WEBP, 'image/jpeg');
    expect(replaced.status).toBe(200);
    expect((await replaced.json()).content_type).toBe('image/webp');
    expect(await count('customer_images')).toBe(1);
    expect(await audits('member.photo.replace')).toMatchObject([{ entity_id: memberId, actor_label: 'api:test' }]);
    // application/octet-stream is fine too.
    expect((await putPhoto(memberId, JPEG, 'application/octet-stream')).status).toBe(200);

    const del = await apiRequest(t.app, 'DELETE', `/api/v1/members/${memberId}/photo`, { token });
    expect(del.status).toBe(200);
    expect(del.json()).toMatchObject({ member_id: memberId, content_type: 'image/jpeg', sha256: sha(JPEG) });
    expect(await count('customer_images')).toBe(0);
    const gone = await apiRequest(t.app, 'GET', `/api/v1/members/${memberId}/photo`, { token });
    expect(gone.status).toBe(404);
    expect(gone.json().error).toMatchObject({ code: 'not_found', message: 'Photo was not found.' });
    expect((await apiRequest(t.app, 'DELETE', `/api/v1/members/${memberId}/photo`, { token })).status).toBe(404);
  });

  test('bad input is a 4xx JSON error and writes nothing', async () => {
    const { memberId } = await household();
    const cases: [Promise<Response>, number, string][] = [
      [putPhoto(memberId, TEXT, 'image/png'), 415, 'Photo must be a JPEG, PNG or WebP image up to 5 MB.'],
      [putPhoto(memberId, GIF, 'image/gif'), 415, 'Photo must be a JPEG, PNG or WebP image up to 5 MB.'],
      [putPhoto(memberId, pngOfSize(5 * 1024 * 1024 + 1)), 413, 'Photo must be a JPEG, PNG or WebP image up to 5 MB.'],
      [putPhoto(memberId, new Uint8Array()), 422, 'Choose a photo to upload.'],
      [putPhoto(memberId, JSON.stringify({ photo: 'x' }), 'application/json'), 415, 'Content-Type image/jpeg, image/png or image/webp'],
      [putPhoto(memberId, PNG, 'text/plain'), 415, 'Content-Type image/jpeg, image/png or image/webp'],
      [putPhoto(UNKNOWN, PNG), 404, 'Member was not found.'],
      [putPhoto('not-a-uuid', PNG), 404, 'Member was not found.'],
    ];
    for (const [pending, status, message] of cases) {
      const res = await pending;
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/json');
      const body = await res.json();
      expect(body.error.message).toContain(message);
      if (status !== 404) expect(body.error.fields.photo).toContain('Photo must be a JPEG, PNG or WebP image up to 5 MB.');
    }
    // A body that claims to be over the limit is refused from its Content-Length, before it is read.
    const declared = await t.app.handle(
      new Request(`${BASE}/api/v1/members/${memberId}/photo`, { method: 'PUT', body: PNG, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png', 'content-length': String(6 * 1024 * 1024) } }),
    );
    expect(declared.status).toBe(413);
    expect((await apiRequest(t.app, 'GET', `/api/v1/members/${UNKNOWN}/photo`, { token })).status).toBe(404);
    expect((await apiRequest(t.app, 'GET', `/api/v1/members/12345/photo`, { token })).status).toBe(404);
    expect((await apiRequest(t.app, 'DELETE', `/api/v1/members/${UNKNOWN}/photo`, { token })).status).toBe(404);
    expect(await count('customer_images')).toBe(0);
    expect(await count('audit_log', "action like 'member.photo.%'")).toBe(0);
  });

  test('a token without customers.manage can read but not upload or remove', async () => {
    const { memberId } = await household();
    await putPhoto(memberId, PNG);
    const viewer = await ownerToken(t, ['customers.view']);
    expect((await putPhoto(memberId, JPEG, 'image/jpeg', viewer)).status).toBe(403);
    expect((await apiRequest(t.app, 'DELETE', `/api/v1/members/${memberId}/photo`, { token: viewer })).status).toBe(403);
    const get = await t.app.handle(new Request(`${BASE}/api/v1/members/${memberId}/photo`, { headers: { authorization: `Bearer ${viewer}` } }));
    expect(get.status).toBe(200);
    const [row] = await t.deps.db.execute<any>(sql`select sha256 from customer_images`);
    expect(row.sha256).toBe(sha(PNG));
    expect((await putPhoto(memberId, PNG, 'image/png', 'bogus-token')).status).toBe(401);
    // Cookie sessions don't open the API.
    const session = await t.app.handle(new Request(`${BASE}/api/v1/members/${memberId}/photo`, { headers: { cookie: [...owner.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ') } }));
    expect(session.status).toBe(401);
  });
});
