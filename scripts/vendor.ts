#!/usr/bin/env bun
/**
 * `bun run vendor` — copy pinned browser dependencies from node_modules into
 * public/vendor/ (committed). Files are copied byte-for-byte; the versions are
 * recorded in public/vendor/VERSIONS.json.
 *
 * The version comes from the *installed* package and must equal the exact pin in
 * package.json — otherwise we refuse (run `npm ci` first).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const outDir = join(root, "public", "vendor");

interface VendorItem {
  pkg: string;
  from: string; // path inside the package
  to: string; // file name inside public/vendor
}

const items: VendorItem[] = [{ pkg: "htmx.org", from: "dist/htmx.min.js", to: "htmx.min.js" }];

const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const pins: Record<string, string> = { ...rootPkg.dependencies, ...rootPkg.devDependencies };

mkdirSync(outDir, { recursive: true });
const versions: Record<string, string> = {};
let failed = false;

for (const item of items) {
  const pkgDir = join(root, "node_modules", item.pkg);
  let installed: string;
  try {
    installed = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  } catch {
    console.error(`vendor: ${item.pkg} is not installed — run \`npm ci\` first`);
    failed = true;
    continue;
  }
  const pin = pins[item.pkg];
  if (!pin || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pin)) {
    console.error(`vendor: ${item.pkg} must be pinned to an exact version in package.json (found ${pin ?? "nothing"})`);
    failed = true;
    continue;
  }
  if (pin !== installed) {
    console.error(`vendor: ${item.pkg} installed ${installed} but package.json pins ${pin} — run \`npm ci\``);
    failed = true;
    continue;
  }
  const dest = join(outDir, item.to);
  copyFileSync(join(pkgDir, item.from), dest);
  versions[item.pkg] = installed;
  console.log(`vendor: ${item.pkg}@${installed} ${item.from} -> public/vendor/${item.to}`);
}

if (failed) process.exit(1);

const sorted = Object.fromEntries(Object.entries(versions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(join(outDir, "VERSIONS.json"), JSON.stringify(sorted, null, 2) + "\n");
console.log("vendor: wrote public/vendor/VERSIONS.json");
