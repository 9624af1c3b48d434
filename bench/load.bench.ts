/**
 * Load held together (issue #9): payment previews and claims ingestion at the
 * same time while a monthly settlement run is in progress, on the real Worker
 * over loopback, bounded in time (BENCH_DURATION, default 20 s, at most 60) and
 * stopping by itself. Afterwards every claim ingestion accepted is counted in
 * D1: lostClaims must be 0, and so must errors.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import autocannon from "autocannon";
import { generateRegion } from "../fixtures/generator/region";
import { demoKeys, machineLoad, root, startWorker } from "./support/worker";

const DURATION_S = Math.min(60, Number(process.env.BENCH_DURATION ?? 20));
const BATCH_LINES = 1_000;
const DEMO_HOSPITALS = Array.from({ length: 12 }, (_, i) => `H${String(i + 1).padStart(2, "0")}`);

/** Generated claims moved onto the demo region's hospitals and persons, with ids of their own. */
function* loadClaims(): Generator<string> {
  const region = generateRegion({ seed: 9, episodes: 200_000, invalidShare: 0.002 });
  let n = 0;
  for (const c of region.claims() as Generator<Record<string, unknown>>) {
    n++;
    const hospitalId = c.hospitalId === "no-such-hospital" ? c.hospitalId : DEMO_HOSPITALS[n % DEMO_HOSPITALS.length];
    yield JSON.stringify({ ...c, claimId: `LOAD-${c.claimId}`, hospitalId, personId: `P${String((n % 2400) + 1).padStart(5, "0")}` });
  }
}

interface IngestTotals {
  batches: number;
  lines: number;
  accepted: number;
  duplicates: number;
  superseded: number;
  rejected: number;
  httpErrors: number;
  p99BatchMs: number;
}

async function ingestUntil(url: string, deadline: number): Promise<IngestTotals> {
  const totals: IngestTotals = { batches: 0, lines: 0, accepted: 0, duplicates: 0, superseded: 0, rejected: 0, httpErrors: 0, p99BatchMs: 0 };
  const batchMs: number[] = [];
  const source = loadClaims();
  while (Date.now() < deadline) {
    const lines: string[] = [];
    for (let i = 0; i < BATCH_LINES; i++) {
      const next = source.next();
      if (next.done) break;
      lines.push(next.value);
    }
    if (lines.length === 0) break;
    const started = Date.now();
    const res = await fetch(`${url}/v1/claims`, {
      method: "POST",
      headers: { authorization: `Bearer ${demoKeys.agency}`, "content-type": "application/x-ndjson" },
      body: lines.join("\n"),
    });
    batchMs.push(Date.now() - started);
    totals.batches++;
    totals.lines += lines.length;
    if (res.status !== 200) {
      totals.httpErrors++;
      continue;
    }
    const report = (await res.json()) as { submitted: number; counts: Omit<IngestTotals, "batches" | "lines" | "httpErrors" | "p99BatchMs"> };
    if (report.submitted !== lines.length) totals.httpErrors++;
    for (const k of ["accepted", "duplicates", "superseded", "rejected"] as const) totals[k] += report.counts[k];
  }
  batchMs.sort((a, b) => a - b);
  totals.p99BatchMs = batchMs[Math.min(batchMs.length - 1, Math.floor(batchMs.length * 0.99))] ?? 0;
  return totals;
}

async function settleDuring(url: string, deadline: number) {
  const headers = { authorization: `Bearer ${demoKeys.agency}`, "content-type": "application/json" };
  const started = Date.now();
  const res = await fetch(`${url}/v1/settlements`, { method: "POST", headers, body: JSON.stringify({ regionId: "demo", period: "2026-05" }) });
  if (res.status !== 202) return { status: `start answered ${res.status}`, seconds: 0 };
  const { id } = (await res.json()) as { id: string };
  let status = "running";
  while (status === "running" && Date.now() < deadline + 30_000) {
    await new Promise((r) => setTimeout(r, 250));
    status = ((await (await fetch(`${url}/v1/settlements/${id}`, { headers })).json()) as { status: string }).status;
  }
  return { status, seconds: (Date.now() - started) / 1000 };
}

/** Claims stored for the load, read straight from the local D1 the Worker wrote. */
function storedLoadClaims(stateDir: string): number {
  const r = spawnSync(path.join(root, "node_modules/.bin/wrangler"), ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--json", "--command", "SELECT count(*) AS n FROM claims WHERE claim_id LIKE 'LOAD-%' AND status = 'current'"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  if (r.status !== 0) throw new Error(`counting stored claims failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: { n: number }[] }[])[0]!.results[0]!.n;
}

const worker = await startWorker();
let failed = false;
try {
  const deadline = Date.now() + DURATION_S * 1000;
  const previewBody = JSON.stringify({ hospitalId: "H01", scheme: "employee", sex: "M", ageYears: 67, losDays: 9, principalDx: "J18.900", totalCostFen: 1_150_000 });
  const [preview, ingestion, settlement] = await Promise.all([
    autocannon({
      url: `${worker.url}/v1/preview`,
      method: "POST",
      headers: { authorization: `Bearer ${demoKeys.hospital.H01}`, "content-type": "application/json" },
      body: previewBody,
      connections: 2,
      duration: DURATION_S,
    }),
    ingestUntil(worker.url, deadline),
    settleDuring(worker.url, deadline),
  ]);
  const stored = storedLoadClaims(worker.stateDir);
  const expected = ingestion.accepted + ingestion.superseded;
  const line = {
    bench: "load",
    durationS: DURATION_S,
    preview: { requests: preview.requests.total, requestsPerSecond: Math.round(preview.requests.average), p50Ms: preview.latency.p50, p99Ms: preview.latency.p99, errors: preview.errors + preview.timeouts + preview.non2xx },
    ingestion: { ...ingestion, linesPerSecond: Math.round(ingestion.lines / DURATION_S) },
    settlement,
    storedClaims: stored,
    lostClaims: expected - stored,
    ...machineLoad(),
  };
  console.log(JSON.stringify(line));
  failed = line.lostClaims !== 0 || line.preview.errors > 0 || ingestion.httpErrors > 0 || settlement.status !== "completed";
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  worker.stop();
}
process.exit(failed ? 1 : 0);
