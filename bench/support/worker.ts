/**
 * The real Worker for benchmarks: `scripts/start.mjs` (migrations + demo seed,
 * then `wrangler dev`) on a free loopback port with a throwaway D1 directory,
 * stopped with its whole process group when the benchmark ends.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

export const demoKeys = JSON.parse(readFileSync(path.join(root, "fixtures/demo-keys.json"), "utf8")) as {
  agency: string;
  hospital: Record<string, string>;
  consortium: Record<string, string>;
};

export interface RunningWorker {
  url: string;
  /** The local D1 state directory, for reading results back after the run. */
  stateDir: string;
  stop(): void;
}

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

export async function startWorker(): Promise<RunningWorker> {
  const port = await freePort();
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "medpay-bench-"));
  const url = `http://127.0.0.1:${port}`;
  // wrangler logs every request line at the default level: that alone costs a third of the throughput.
  const child = spawn(process.execPath, ["scripts/start.mjs", "--log-level=error"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), MEDPAY_STATE_DIR: stateDir, WRANGLER_SEND_METRICS: "false" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true, // own process group, so stopping it also stops wrangler and workerd
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    rmSync(stateDir, { recursive: true, force: true });
  };
  process.on("exit", stop);
  try {
    await waitForHealth(url, 120_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { url, stateDir, stop };
}

/** The machine's state next to a figure: the Worker, wrangler and the load generator share its cores. */
export function machineLoad() {
  return { loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)), cpus: os.cpus().length };
}
