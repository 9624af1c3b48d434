/**
 * POST /v1/preview latency and throughput on the real Worker (`wrangler dev`,
 * local D1), driven by autocannon over loopback for ~10 s per scenario.
 * Starts the Worker through scripts/start.mjs (migrations + demo seed) on a
 * free port with a throwaway D1 directory, and stops it at the end.
 * Prints one JSON line per scenario: requests/s, p50, p99 (ms), errors.
 * Target (issue #7): ≥ 1,000 req/s, p99 ≤ 10 ms, zero errors.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

const root = path.resolve(import.meta.dirname, "..");
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
// Closed loop: mean latency = connections / throughput, so p99 ≤ 10 ms at ≥ 1,000 req/s needs a handful of connections, not dozens.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && ((await res.json()) as { status: string }).status === "ok") return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Worker did not answer /health within ${timeoutMs} ms`);
}

/** The demo seed may not carry weights yet: give the demo year weights for the benchmark's DRG (ignored when present). */
function ensureWeights(persistTo: string): void {
  const sql = [
    "INSERT OR IGNORE INTO weight_tables (region_id, year, avg_all_cost_fen, version) VALUES ('demo', 2026, 1000000, 'bench')",
    "INSERT OR IGNORE INTO drg_weights (region_id, year, drg, rw, avg_cost_fen, avg_los_tenths, adrg) VALUES ('demo', 2026, 'EW15', 12000, 1200000, 85, 'EW1')",
  ].join("; ");
  const r = spawnSync(path.join(root, "node_modules/.bin/wrangler"), ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--command", sql], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`seeding bench weights failed: ${r.stderr}`);
}

const keys = JSON.parse(readFileSync(path.join(root, "fixtures/demo-keys.json"), "utf8")) as { hospital: Record<string, string> };
const episode = { hospitalId: "H01", scheme: "employee", sex: "M", ageYears: 67, losDays: 9, principalDx: "J18.900", secondaryDx: ["I10.x00"], totalCostFen: 1_150_000 };
const scenarios = [
  { name: "preview", body: episode },
  // With a personId and dates the preview reads the person's stored stays (the readmission warning).
  { name: "preview-with-readmission-lookup", body: { ...episode, personId: "P00042", admissionDate: "2026-10-03", dischargeDate: "2026-10-12" } },
];

const port = await freePort();
const persistTo = mkdtempSync(path.join(os.tmpdir(), "medpay-bench-"));
const url = `http://127.0.0.1:${port}`;
// wrangler logs every request line at the default level: that alone costs a third of the throughput.
const worker = spawn(process.execPath, ["scripts/start.mjs", "--log-level=error"], {
  cwd: root,
  env: { ...process.env, PORT: String(port), MEDPAY_STATE_DIR: persistTo, WRANGLER_SEND_METRICS: "false" },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true, // own process group, so stopping it also stops wrangler and workerd
});
const stop = () => {
  try {
    process.kill(-worker.pid!, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stop);

let failed = false;
try {
  await waitForHealth(url, 120_000);
  ensureWeights(persistTo);
  for (const s of scenarios) {
    const headers = { authorization: `Bearer ${keys.hospital.H01}`, "content-type": "application/json" };
    const body = JSON.stringify(s.body);
    const probe = await fetch(`${url}/v1/preview`, { method: "POST", headers, body });
    if (probe.status !== 200) throw new Error(`${s.name}: preview answered ${probe.status}: ${await probe.text()}`);
    // Warm-up: caches, JIT.
    await autocannon({ url: `${url}/v1/preview`, method: "POST", headers, body, connections: CONNECTIONS, duration: 2 });
    const r = await autocannon({ url: `${url}/v1/preview`, method: "POST", headers, body, connections: CONNECTIONS, duration: DURATION_S });
    const line = {
      bench: "preview",
      scenario: s.name,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      requests: r.requests.total,
      requestsPerSecond: Math.round(r.requests.average),
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
      // The Worker, wrangler's proxy and autocannon share this machine's cores with whatever else runs: say how busy it was.
      loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
      cpus: os.cpus().length,
      target: { requestsPerSecond: 1000, p99Ms: 10, errors: 0 },
    };
    console.log(JSON.stringify(line));
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  stop();
  await new Promise((r) => setTimeout(r, 500));
  rmSync(persistTo, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
