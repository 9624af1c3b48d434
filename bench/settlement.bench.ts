/**
 * Settlement benchmark (issue #6 "Scale"): drives the real Worker under
 * `wrangler dev` on loopback with a throwaway local D1. For each size it
 * uploads generated claims of one month as NDJSON (in requests of
 * LINES_PER_REQUEST lines), then starts the month's run and polls it to the
 * end. JSON lines: {bench, episodes, ingestPerSecond, runSeconds, ...}.
 * Sizes: BENCH_SETTLEMENT_SIZES (default "10000,100000"; add 1000000 when
 * there is time: about 10× the 100k figures). Bounded: every wait has a limit.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { getPlatformProxy } from "wrangler";
import demoKeys from "../fixtures/demo-keys.json";
import { DEMO_MIX_WEIGHTS, generateClaims } from "../fixtures/generator/claims";
import { seedDemoRegion } from "../fixtures/seed";

const repoRoot = path.resolve(import.meta.dirname, "..");
const sizes = (process.env.BENCH_SETTLEMENT_SIZES ?? "10000,100000").split(",").map(Number);
const LINES_PER_REQUEST = 20_000;
const port = 18_000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const stateDir = mkdtempSync(path.join(os.tmpdir(), "medpay-settlement-bench-"));
const bin = (name: string) => path.join(repoRoot, "node_modules/.bin", name);
const print = (o: object) => process.stdout.write(JSON.stringify({ bench: "settlement", ...o, loadAvg1m: +os.loadavg()[0]!.toFixed(2) }) + "\n");
const HOSPITALS = { acute: ["H01", "H02", "H03", "H04", "H05", "H08", "H09", "H10", "H11", "H12"], psychiatric: ["H06"], rehabilitation: ["H07"], palliative: ["H03"] };
const auth = { authorization: `Bearer ${demoKeys.agency}` };

async function prepareDatabase() {
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };
  const migrate = spawnSync(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], { cwd: repoRoot, env, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: path.join(repoRoot, "wrangler.toml"), persist: { path: path.join(stateDir, "v3") } });
  try {
    await seedDemoRegion(proxy.env.DB);
    await proxy.env.DB.batch([
      proxy.env.DB.prepare("INSERT INTO weight_tables (region_id, year, avg_all_cost_fen, version) VALUES ('demo', 2026, 1000000, 'bench-mix')"),
      ...DEMO_MIX_WEIGHTS.map((w) =>
        proxy.env.DB.prepare("INSERT INTO drg_weights (region_id, year, drg, rw, avg_cost_fen, avg_los_tenths, adrg, per_diem_ward) VALUES ('demo', 2026, ?, ?, ?, 80, ?, ?)").bind(w.drg, w.rw, w.avgCostFen, w.adrg, w.perDiemWard ?? null),
      ),
    ]);
  } finally {
    await proxy.dispose();
  }
}

async function waitFor<T>(what: string, limitMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function ingest(month: string, count: number, seed: number) {
  let batch: string[] = [];
  let accepted = 0;
  const send = async () => {
    const res = await fetch(`${base}/v1/claims`, { method: "POST", headers: { ...auth, "content-type": "application/x-ndjson" }, body: batch.join("\n") });
    if (res.status !== 200) throw new Error(`upload: ${res.status} ${(await res.text()).slice(0, 300)}`);
    const r = (await res.json()) as { counts: { accepted: number; rejected: number } };
    if (r.counts.rejected > 0) throw new Error(`upload rejected ${r.counts.rejected} lines`);
    accepted += r.counts.accepted;
    batch = [];
  };
  const started = performance.now();
  for (const c of generateClaims({ seed, month, count, persons: Math.max(1000, Math.round(count / 4)), hospitals: HOSPITALS, claimIdPrefix: `B${month.replace("-", "")}` })) {
    batch.push(JSON.stringify(c));
    if (batch.length >= LINES_PER_REQUEST) await send();
  }
  if (batch.length > 0) await send();
  return { accepted, seconds: (performance.now() - started) / 1000 };
}

async function settle(period: string, limitMs: number) {
  const started = performance.now();
  const res = await fetch(`${base}/v1/settlements`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ regionId: "demo", period }) });
  if (res.status !== 202) throw new Error(`start: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const run = await waitFor("the run", limitMs, async () => {
    const r = (await (await fetch(`${base}/v1/settlements/${id}`, { headers: auth })).json()) as { status: string; error: string | null; progress: { episodesTotal: number }; totals: { drg: { fundFen: number }; budgetFen: number } | null };
    return r.status === "running" ? undefined : r;
  });
  return { run, seconds: (performance.now() - started) / 1000 };
}

await prepareDatabase();
const dev = spawn(bin("wrangler"), ["dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", stateDir, "--log-level", "error"], {
  cwd: repoRoot,
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  stdio: ["ignore", "ignore", "inherit"],
});
try {
  await waitFor("wrangler dev", 120_000, async () => ((await fetch(`${base}/health`)).ok ? true : undefined));
  for (const [i, episodes] of sizes.entries()) {
    const month = `2026-${String(i + 1).padStart(2, "0")}`;
    const up = await ingest(month, episodes, 100 + i);
    const { run, seconds } = await settle(month, Math.max(300_000, episodes * 20));
    print({
      episodes,
      month,
      ingestPerSecond: Math.round(up.accepted / up.seconds),
      ingestSeconds: +up.seconds.toFixed(1),
      runSeconds: +seconds.toFixed(1),
      runStatus: run.status,
      ...(run.error ? { runError: run.error } : {}),
      fundEqualsBudget: run.totals ? run.totals.drg.fundFen === run.totals.budgetFen : null,
    });
  }
} finally {
  dev.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(stateDir, { recursive: true, force: true });
}
