#!/usr/bin/env bun
/**
 * `bun run smoke [--linux-only] [--keep]` — end-to-end check of the *built* artifacts
 * (run `bun run build` first).
 *
 * For dist/forte + dist/pgsql/ copied into a fresh temp folder:
 *   - start `./forte serve --data-dir <tmp>/data --port <free port>` with a clean
 *     environment (no FORTE_* / BUN_* from the parent) and, in its working dir,
 *     a hostile .env (FORTE_PORT=1) and bunfig.toml (preload that leaves a marker)
 *   - GET /healthz -> 200 within 60 s
 *   - GET /setup   -> 200 text/html containing a <form>
 *   - every stylesheet linked from /setup -> 200 text/css
 *   - the htmx <script> referenced by /setup -> 200 JavaScript (== public/vendor/htmx.min.js)
 *   - .env / bunfig.toml were ignored
 *   - SIGTERM -> process exits within 15 s and no postgres process for that data
 *     dir remains
 * When running as root, the same again from a "checkout-like" folder nested
 * under a 0700 parent (postgres must not run as root; the server has to cope).
 * Also checks that dist/forte.exe is a PE x64 executable (skip: --linux-only).
 *
 * Exits non-zero with a clear message on the first failure. The temp folders
 * are removed on success and kept on failure (or with --keep).
 */
import { spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync, closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync,
  readdirSync, readFileSync, readlinkSync, readSync, rmSync, symlinkSync, writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = join(import.meta.dir, "..");
const dist = join(root, "dist");
const argv = process.argv.slice(2);
for (const a of argv) if (!["--linux-only", "--keep"].includes(a)) fail(`unknown argument ${a} (use --linux-only, --keep)`);
const linuxOnly = argv.includes("--linux-only");
const keep = argv.includes("--keep");

const HEALTH_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;

const tempDirs: string[] = [];
let current: { proc: ChildProcess; logFile: string; dataDir: string } | null = null;

function log(msg: string) {
  console.log(`smoke: ${msg}`);
}

function fail(msg: string): never {
  console.error(`\nsmoke: FAILED: ${msg}`);
  if (current) {
    try {
      const text = readFileSync(current.logFile, "utf8");
      const tail = text
        .split("\n")
        .slice(-60)
        .map((l) => (l.length > 1500 ? `${l.slice(0, 1500)} …[${l.length - 1500} more chars]` : l))
        .join("\n");
      console.error(`\n--- last lines of ${current.logFile} ---\n${tail}\n---`);
    } catch {}
    if (current.proc.exitCode === null && current.proc.signalCode === null) current.proc.kill("SIGKILL");
    for (const pid of postgresPidsFor(current.dataDir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
  }
  if (tempDirs.length) console.error(`smoke: temp folders kept for inspection: ${tempDirs.join(" ")}`);
  process.exit(1);
}

function check(cond: unknown, msg: string): asserts cond {
  if (!cond) fail(msg);
}

// ------------------------------------------------------------------ helpers

function readHead(file: string, n: number, at = 0): Buffer {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, at));
  } finally {
    closeSync(fd);
  }
}

function peMachine(file: string): string | null {
  const mz = readHead(file, 64);
  if (mz.length < 64 || mz[0] !== 0x4d || mz[1] !== 0x5a) return `does not start with "MZ"`;
  const off = mz.readUInt32LE(0x3c);
  const pe = readHead(file, 6, off);
  if (pe.length < 6 || pe.toString("latin1", 0, 4) !== "PE\0\0") return `no PE signature at 0x${off.toString(16)}`;
  const m = pe.readUInt16LE(4);
  return m === 0x8664 ? null : `PE machine is 0x${m.toString(16)}, expected 0x8664 (x64)`;
}

/** Recursive copy keeping symlinks and file modes. */
function copyTree(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
  else if (st.isDirectory()) {
    mkdirSync(dst, { recursive: true });
    for (const n of readdirSync(src)) copyTree(join(src, n), join(dst, n));
    chmodSync(dst, st.mode & 0o7777);
  } else if (st.isFile()) {
    copyFileSync(src, dst);
    chmodSync(dst, st.mode & 0o7777);
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? res(port) : rej(new Error("no port"))));
    });
  });
}

/** PIDs of processes named postgres whose cmdline or cwd mentions `dataDir` (Linux /proc). */
function postgresPidsFor(dataDir: string): number[] {
  if (process.platform !== "linux") return [];
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${e}/cmdline`, "utf8").replace(/\0/g, " ");
      let comm = "";
      try {
        comm = readFileSync(`/proc/${e}/comm`, "utf8").trim();
      } catch {}
      let exe = "";
      try {
        exe = readlinkSync(`/proc/${e}/exe`);
      } catch {}
      const isPostgres = /(^|\/)postgres(\s|:|$)/.test(cmdline) || comm === "postgres" || exe.endsWith("/postgres");
      if (!isPostgres) continue;
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${e}/cwd`);
      } catch {}
      if (cmdline.includes(dataDir) || cwd === dataDir || cwd.startsWith(`${dataDir}/`)) pids.push(pid);
    } catch {
      // process vanished or not readable
    }
  }
  return pids;
}

function environOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  } catch {
    return [];
  }
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(15_000), redirect: "manual" });
  return { status: r.status, type: r.headers.get("content-type") ?? "", body: await r.text() };
}

function attr(tag: string, name: string): string | null {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i"));
  return m ? (m[1] ?? m[2] ?? m[3] ?? "") : null;
}

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(FORTE_|BUN_|NODE_OPTIONS$|NODE_ENV$|PG)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ one run

async function runOnce(label: string, installDir: string): Promise<void> {
  log(`[${label}] install dir ${installDir}`);
  mkdirSync(installDir, { recursive: true });
  copyFileSync(join(dist, "forte"), join(installDir, "forte"));
  chmodSync(join(installDir, "forte"), 0o755);
  copyTree(join(dist, "pgsql"), join(installDir, "pgsql"));

  // Hostile working-dir config that a compiled binary must NOT pick up.
  const marker = join(installDir, "bunfig-preload-ran");
  const dotenv = "FORTE_PORT=1\nFORTE_SMOKE_DOTENV_CANARY=loaded\n";
  for (const f of [".env", ".env.local", ".env.production"]) writeFileSync(join(installDir, f), dotenv);
  writeFileSync(join(installDir, "bunfig.toml"), `preload = ["./evil-preload.ts"]\n`);
  writeFileSync(join(installDir, "evil-preload.ts"), `require("fs").writeFileSync(${JSON.stringify(marker)}, "x");\n`);

  const dataDir = join(installDir, "data");
  const port = await freePort();
  const logFile = join(installDir, "forte.log");
  const out = openSync(logFile, "w");
  const args = ["serve", "--data-dir", dataDir, "--port", String(port)];
  log(`[${label}] starting ./forte ${args.join(" ")}`);
  const proc = spawn("./forte", args, { cwd: installDir, env: cleanEnv(), stdio: ["ignore", out, out] });
  closeSync(out);
  current = { proc, logFile, dataDir };
  type Exit = { code: number | null; signal: string | null };
  let exited = null as Exit | null; // (cast: assigned in a callback, so don't let TS narrow it to null)
  proc.on("exit", (code, signal) => (exited = { code, signal }));
  proc.on("error", (e) => fail(`[${label}] could not start ./forte: ${e.message}`));

  const base = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  let healthy = false;
  let lastErr = "";
  while (Date.now() - t0 < HEALTH_TIMEOUT_MS) {
    if (exited) fail(`[${label}] forte exited before becoming healthy (code ${exited.code}, signal ${exited.signal})`);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await r.arrayBuffer();
      if (r.status === 200) {
        healthy = true;
        break;
      }
      lastErr = `HTTP ${r.status}`;
    } catch (e) {
      lastErr = (e as Error).message;
    }
    await sleep(250);
  }
  check(healthy, `[${label}] GET /healthz did not return 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${lastErr})`);
  log(`[${label}] /healthz 200 after ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // /setup page
  const setup = await get(`${base}/setup`).catch((e) => fail(`[${label}] GET /setup: ${e.message}`));
  check(setup.status === 200, `[${label}] GET /setup returned ${setup.status}, expected 200`);
  check(/^text\/html/i.test(setup.type), `[${label}] GET /setup content-type is "${setup.type}", expected text/html`);
  check(/<form[\s>]/i.test(setup.body), `[${label}] /setup HTML contains no <form>`);
  log(`[${label}] /setup 200 text/html with a form`);

  // stylesheets
  const links = [...setup.body.matchAll(/<link\b[^>]*>/gi)].map((m) => m[0]);
  const cssHrefs = links
    .filter((t) => /stylesheet/i.test(attr(t, "rel") ?? "") || /\.css(\?|#|$)/i.test(attr(t, "href") ?? ""))
    .map((t) => attr(t, "href"))
    .filter((h): h is string => !!h && !/^(https?:)?\/\//i.test(h));
  check(cssHrefs.length > 0, `[${label}] /setup links no local stylesheet (<link rel="stylesheet" href="/…css">)`);
  for (const href of cssHrefs) {
    const r = await get(new URL(href, `${base}/setup`).href).catch((e) => fail(`[${label}] GET ${href}: ${e.message}`));
    check(r.status === 200, `[${label}] stylesheet ${href} returned ${r.status}`);
    check(/^text\/css/i.test(r.type), `[${label}] stylesheet ${href} content-type is "${r.type}", expected text/css`);
    check(r.body.length > 0, `[${label}] stylesheet ${href} is empty`);
    log(`[${label}] ${href} 200 ${r.type}`);
  }

  // htmx script
  const scripts = [...setup.body.matchAll(/<script\b[^>]*>/gi)].map((m) => attr(m[0], "src")).filter((s): s is string => !!s);
  const htmxSrc = scripts.find((s) => /htmx/i.test(s));
  check(htmxSrc, `[${label}] /setup references no htmx <script src> (found: ${scripts.join(", ") || "none"})`);
  check(!/^(https?:)?\/\//i.test(htmxSrc), `[${label}] htmx is loaded from another origin (${htmxSrc}); it must be served by forte`);
  const js = await get(new URL(htmxSrc, `${base}/setup`).href).catch((e) => fail(`[${label}] GET ${htmxSrc}: ${e.message}`));
  check(js.status === 200, `[${label}] ${htmxSrc} returned ${js.status}`);
  check(/^(text|application)\/(javascript|ecmascript|x-javascript)/i.test(js.type), `[${label}] ${htmxSrc} content-type is "${js.type}", expected JavaScript`);
  const vendored = join(root, "public", "vendor", "htmx.min.js");
  if (/htmx\.min\.js/.test(htmxSrc) && existsSync(vendored)) {
    check(js.body === readFileSync(vendored, "utf8"), `[${label}] ${htmxSrc} differs from public/vendor/htmx.min.js`);
  }
  log(`[${label}] ${htmxSrc} 200 ${js.type}`);

  // working-dir .env / bunfig.toml ignored
  check(!existsSync(marker), `[${label}] bunfig.toml in the working dir was loaded (its preload ran)`);
  const pgPids = postgresPidsFor(dataDir);
  for (const pid of pgPids) {
    const env = environOf(pid);
    check(!env.includes("FORTE_SMOKE_DOTENV_CANARY=loaded"), `[${label}] .env in the working dir was loaded (postgres pid ${pid} inherited it)`);
  }
  const h2 = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
  check(h2?.status === 200, `[${label}] server stopped answering`);
  log(`[${label}] .env (FORTE_PORT=1) and bunfig.toml in the working dir were ignored${pgPids.length ? ` (postgres pids: ${pgPids.join(",")})` : " (no postgres process found to inspect)"}`);

  // graceful shutdown
  proc.kill("SIGTERM");
  const ts = Date.now();
  while (!exited && Date.now() - ts < EXIT_TIMEOUT_MS) await sleep(100);
  check(exited, `[${label}] forte did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM`);
  const ex = exited as Exit;
  log(`[${label}] exited ${((Date.now() - ts) / 1000).toFixed(1)} s after SIGTERM (code ${ex.code}, signal ${ex.signal})`);
  let left = postgresPidsFor(dataDir);
  const tl = Date.now();
  while (left.length > 0 && Date.now() - tl < 2_000) {
    await sleep(200);
    left = postgresPidsFor(dataDir);
  }
  check(left.length === 0, `[${label}] postgres process(es) still running for ${dataDir} after forte exited: ${left.join(", ")}`);
  log(`[${label}] no postgres process left for ${dataDir}`);
  current = null;
}

// ------------------------------------------------------------------ main

async function main() {
  check(process.platform === "linux", "smoke runs on Linux (it starts dist/forte)");
  check(existsSync(join(dist, "forte")), "dist/forte missing — run `bun run build` first");
  check(existsSync(join(dist, "pgsql", "bin", "postgres")), "dist/pgsql/bin/postgres missing — run `bun run build` first");

  if (!linuxOnly) {
    const exe = join(dist, "forte.exe");
    check(existsSync(exe), "dist/forte.exe missing — run `bun run build` (or pass --linux-only)");
    const err = peMachine(exe);
    check(err === null, `dist/forte.exe: ${err}`);
    log("dist/forte.exe is a PE x64 executable");
  }

  const plain = mkdtempSync(join(tmpdir(), "forte-smoke-"));
  tempDirs.push(plain);
  await runOnce("plain", plain);

  if (process.getuid?.() === 0) {
    const parent = mkdtempSync(join(tmpdir(), "forte-smoke-root-"));
    tempDirs.push(parent);
    chmodSync(parent, 0o700);
    await runOnce("root, 0700 parent", resolve(parent, "home", "dev", "forte-checkout"));
  } else {
    log("not root: skipping the 0700-parent run");
  }

  if (!keep) for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  else log(`kept: ${tempDirs.join(" ")}`);
  log("OK");
}

process.on("SIGINT", () => fail("interrupted"));
await main().catch((e) => fail(`unexpected error: ${(e as Error).stack ?? e}`));
process.exit(0);
