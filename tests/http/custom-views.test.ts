import { afterAll, beforeEach, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestApp, resetDb, setupStore, TestClient } from '../helpers';

const custom = mkdtempSync(join(tmpdir(), 'forte-custom-'));
afterAll(() => rmSync(custom, { recursive: true, force: true }));
beforeEach(resetDb);

test('a template in <data>/custom/views overrides the embedded one, without a restart', async () => {
  const t = makeTestApp({ customDir: custom });
  await setupStore(t);
  const client = new TestClient(t.app);
  const before = await client.get('/login');
  expect(before.text).toContain('name="username"');
  expect(before.text).not.toContain('Welcome to our shop');
  mkdirSync(join(custom, 'views', 'auth'), { recursive: true });
  writeFileSync(join(custom, 'views', 'auth', 'login.eta'), '<h1>Welcome to our shop</h1><form method="post" action="/login"><input name="username"></form>');
  const after = await client.get('/login');
  expect(after.text).toContain('Welcome to our shop');
  // The layout still comes from the embedded templates.
  expect(after.text).toContain('/static/css/app.css');
  mkdirSync(join(custom, 'public', 'css'), { recursive: true });
  writeFileSync(join(custom, 'public', 'css', 'app.css'), 'body { color: rebeccapurple; }');
  expect((await client.get('/static/css/app.css')).text).toContain('rebeccapurple');
});
