/**
 * Settlement benchmark (issue #6 "Scale"): drives the real Worker (`wrangler
 * dev` on loopback with a throwaway, demo-seeded local D1; bench/support). For
 * each size it uploads generated claims of one month as NDJSON (requests of
 * LINES_PER_REQUEST lines, generated before the clock starts, UPLOADS at a
 * time), then starts the month's run and polls it to the end. JSON lines:
 * {bench, episodes, ingestPerSecond, runSeconds, ...}, where `episodes` counts the run's claims (the demo seed's own October claims, about
 * 170, join the third size). Sizes: BENCH_SETTLEMENT_SIZES (default
 * "10000,100000"; "10000,100000,1000000" takes about 5 minutes on 2 cores). Bounded:
 * every wait has a limit.
 */
import { DEMO_REGION_ID } from "../fixtures/demo-region";
import { generateClaims } from "../fixtures/generator/claims";
import { demoKeys, machineLoad, startWorker } from "./support/worker";

const sizes = (process.env.BENCH_SETTLEMENT_SIZES ?? "10000,100000").split(",").map(Number);
/** Months without demo claims first (the seed fills January to October). */
const MONTHS = ["2026-11", "2026-12", "2026-10"];
const LINES_PER_REQUEST = 20_000;
/** Concurrent uploads (BENCH_UPLOADS, default 1; hospitals upload side by side, which also fills the gap between one answer and the next request). */
const UPLOADS = Number(process.env.BENCH_UPLOADS ?? 1);
const HOSPITALS = { acute: ["H01", "H02", "H03", "H04", "H05", "H08", "H09", "H10", "H11", "H12"], psychiatric: ["H06"], rehabilitation: ["H07"], palliative: ["H03"] };
const auth = { authorization: `Bearer ${demoKeys.agency}` };
const print = (o: object) => process.stdout.write(JSON.stringify({ bench: "settlement", ...o, ...machineLoad() }) + "\n");

/**
 * The month's claims as NDJSON request bodies of LINES_PER_REQUEST lines. Yields to the event loop after each
 * body, so that sockets closed meanwhile (the keep-alive connection of the health check) are noticed before use.
 */
async function requestBodies(month: string, count: number, seed: number): Promise<Buffer[]> {
  const bodies: Buffer[] = [];
  let batch: string[] = [];
  for (const c of generateClaims({ seed, month, count, persons: Math.max(1000, Math.round(count / 4)), hospitals: HOSPITALS, claimIdPrefix: `B${month.replace("-", "")}` })) {
    batch.push(JSON.stringify(c));
    if (batch.length >= LINES_PER_REQUEST) {
      bodies.push(Buffer.from(batch.join("\n")));
      batch = [];
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  if (batch.length > 0) bodies.push(Buffer.from(batch.join("\n")));
  return bodies;
}

async function ingest(base: string, month: string, count: number, seed: number) {
  // The bodies are generated before the clock starts, so the figure is the Worker's rate, not the generator's:
  // generating while uploading held the uploader's event loop and stalled the body of the request in flight.
  const bodies = await requestBodies(month, count, seed);
  let accepted = 0;
  const send = async (body: Buffer) => {
    const res = await fetch(`${base}/v1/claims`, { method: "POST", headers: { ...auth, "content-type": "application/x-ndjson" }, body });
    if (res.status !== 200) throw new Error(`upload: ${res.status} ${(await res.text()).slice(0, 300)}`);
    const r = (await res.json()) as { counts: { accepted: number; rejected: number } };
    if (r.counts.rejected > 0) throw new Error(`upload rejected ${r.counts.rejected} lines`);
    accepted += r.counts.accepted;
  };
  // Each of the UPLOADS uploaders takes the next body as soon as its last one is answered.
  const uploader = async () => {
    for (let body = bodies.shift(); body; body = bodies.shift()) await send(body);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: UPLOADS }, uploader));
  return { accepted, seconds: (performance.now() - started) / 1000 };
}

interface Run {
  status: string;
  createdAt: string;
  completedAt: string | null;
  error: string | null;
  progress: { episodesTotal: number };
  totals: { drg: { fundFen: number }; budgetFen: number } | null;
}

async function settle(base: string, period: string, limitMs: number) {
  const started = performance.now();
  const res = await fetch(`${base}/v1/settlements`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ regionId: DEMO_REGION_ID, period }) });
  if (res.status !== 202) throw new Error(`start: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (const until = Date.now() + limitMs; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    // Each poll on a fresh connection with its own time limit: a kept-alive connection to wrangler dev can stall for minutes.
    const run = await fetch(`${base}/v1/settlements/${id}`, { headers: { ...auth, connection: "close" }, signal: AbortSignal.timeout(15_000) })
      .then((r) => r.json() as Promise<Run>)
      .catch(() => undefined);
    if (run && run.status !== "running") return { run, seconds: (performance.now() - started) / 1000 };
  }
  throw new Error(`run ${id} did not finish within ${limitMs} ms`);
}

const worker = await startWorker();
try {
  for (const [i, count] of sizes.entries()) {
    const month = MONTHS[i];
    if (!month) throw new Error(`at most ${MONTHS.length} sizes`);
    const up = await ingest(worker.url, month, count, 100 + i);
    const { run, seconds } = await settle(worker.url, month, Math.max(300_000, count * 2));
    print({
      episodes: run.progress.episodesTotal,
      month,
      uploads: UPLOADS,
      ingestPerSecond: Math.round(up.accepted / up.seconds),
      ingestSeconds: +up.seconds.toFixed(1),
      // The run's own clock (start to completion as recorded by the Worker); observed adds the polling delay.
      runSeconds: run.completedAt ? +((Date.parse(run.completedAt) - Date.parse(run.createdAt)) / 1000).toFixed(1) : null,
      runObservedSeconds: +seconds.toFixed(1),
      runStatus: run.status,
      ...(run.error ? { runError: run.error } : {}),
      fundEqualsBudget: run.totals ? run.totals.drg.fundFen === run.totals.budgetFen : null,
    });
  }
} finally {
  worker.stop();
}
