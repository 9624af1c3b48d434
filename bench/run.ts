/**
 * Benchmark runner: `npm run --silent bench` runs every `bench/<name>.bench.ts`,
 * `npm run bench -- <name>` runs one. Each benchmark prints JSON lines on stdout;
 * the runner passes them through and also appends them, with a description of
 * the machine, to bench/results/<name>.jsonl (git-ignored).
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const benchDir = import.meta.dirname;
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""))
  .sort();

const requested = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const unknown = requested.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ")}`);
  process.exit(2);
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()}-${os.arch()}`,
};
const resultsDir = path.join(benchDir, "results");
mkdirSync(resultsDir, { recursive: true });

let failed = 0;
for (const name of requested.length > 0 ? requested : available) {
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(benchDir, `${name}.bench.ts`)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 2 ** 20,
  });
  const lines = run.stdout.split("\n").filter((l) => l.trim().startsWith("{"));
  for (const line of lines) {
    process.stdout.write(line + "\n");
    const record = { ...JSON.parse(line), machine, at: new Date().toISOString() };
    appendFileSync(path.join(resultsDir, `${name}.jsonl`), JSON.stringify(record) + "\n");
  }
  if (run.status !== 0) {
    failed++;
    process.stdout.write(JSON.stringify({ bench: name, error: `exited with ${run.status}` }) + "\n");
  }
}
process.exit(failed > 0 ? 1 : 0);
