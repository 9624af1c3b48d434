#!/usr/bin/env node
/**
 * Starts the grouper CLI (main.ts) as plain JavaScript. Loading it through tsx
 * costs about 0.3 s per process and again per worker thread, a large share of
 * a run that groups 200,000 episodes a second, so the CLI and its worker are
 * bundled with esbuild into node_modules/.cache and rebuilt whenever a file
 * under grouper/ is newer than the bundle.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const grouperDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.resolve(grouperDir, "../node_modules/.cache/medpay-grouper-cli");
const entries = { main: "cli/main.ts", "group-worker": "cli/group-worker.ts" };

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|json|mjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt() {
  const files = Object.keys(entries).map((n) => path.join(outDir, `${n}.js`));
  return files.every(existsSync) ? Math.min(...files.map((f) => statSync(f).mtimeMs)) : 0;
}

if (builtAt() < newestSource(grouperDir)) {
  // Built aside and renamed into place, so that a CLI started meanwhile never loads a half-written file.
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  const { build } = await import("esbuild"); // only when rebuilding: loading it costs ~40 ms
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([n, f]) => [n, path.join(grouperDir, f)])),
    outdir: tmpDir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "error",
  });
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(tmpDir)) renameSync(path.join(tmpDir, f), path.join(outDir, f));
  rmSync(tmpDir, { recursive: true, force: true });
}
await import(pathToFileURL(path.join(outDir, "main.js")).href);
