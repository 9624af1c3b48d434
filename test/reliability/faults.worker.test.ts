import { env, introspectWorkflow } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { demoClaims } from "../../fixtures/demo-claims";
import { INGEST_CHUNK_LINES } from "../../src/settlement/versioned-batch";
import { type RunBody, settle } from "../settlement/support";
import { BASE, call, demoKeys } from "../support/http";
import { withDemoRegionAndClaims } from "../support/seed";
import { SELF } from "cloudflare:test";

/*
 * Fault injection: whatever fails half way, the effects happen exactly once.
 * Uploads cut off after each chunk and resubmitted; a Workflow step that throws
 * once; the same run started twice at the same moment.
 */

beforeAll(withDemoRegionAndClaims);

const NDJSON = { "content-type": "application/x-ndjson" };

/** An upload whose connection drops after `lines` lines: the body stream errors mid-way. */
function cutOffBody(text: string, lines: number): ReadableStream<Uint8Array> {
  const all = text.split("\n");
  const sent = new TextEncoder().encode(all.slice(0, lines).join("\n") + "\n");
  let delivered = false;
  // Deliver the lines, then fail the next read (erroring at once would discard what is queued).
  return new ReadableStream({
    pull(controller) {
      if (delivered) return controller.error(new Error("connection reset by peer"));
      controller.enqueue(sent);
      delivered = true;
    },
  });
}

async function currentClaims(prefix: string) {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n, count(DISTINCT claim_id) AS ids, max(version) AS maxVersion FROM claims WHERE claim_id LIKE ? AND status = 'current'",
  )
    .bind(`${prefix}%`)
    .first<{ n: number; ids: number; maxVersion: number }>();
  return row!;
}

describe("ingestion interrupted after each chunk", () => {
  const CHUNKS = 3;
  const lines = CHUNKS * INGEST_CHUNK_LINES + 17;

  for (let cut = 1; cut <= CHUNKS; cut++) {
    it(`cut off after chunk ${cut} of ${CHUNKS + 1} and resubmitted: every claim stored exactly once`, async () => {
      const prefix = `CUT${cut}-`;
      const demo = demoClaims();
      // More lines than the demo has claims: its claims again under new ids.
      const claims = Array.from({ length: lines }, (_, i) => ({ ...demo[i % demo.length]!, claimId: `${prefix}${i}` }));
      const text = claims.map((c) => JSON.stringify(c)).join("\n");
      const sentLines = cut * INGEST_CHUNK_LINES + 5;

      // The dropped connection: whatever answer comes back, the client never reads it.
      await SELF.fetch(`${BASE}/v1/claims`, {
        method: "POST",
        // The client announces the whole file, as a real upload does, then the connection drops.
        headers: { ...NDJSON, authorization: `Bearer ${demoKeys.agency}`, "content-length": String(new TextEncoder().encode(text).length) },
        body: cutOffBody(text, sentLines),
        // @ts-expect-error workerd needs duplex for a streamed request body
        duplex: "half",
      }).then((r) => r.text(), () => undefined);
      const stored = await currentClaims(prefix);
      // Whatever the cut left behind is a prefix of the file, never more than was sent.
      expect(stored.n).toBeLessThanOrEqual(sentLines);

      const res = await call("POST", "/v1/claims", { key: demoKeys.agency, body: text, headers: NDJSON });
      const report = (await res.json()) as { submitted: number; counts: { accepted: number; duplicates: number; superseded: number; rejected: number } };
      expect(res.status).toBe(200);
      expect(report.submitted).toBe(lines);
      expect(report.counts.rejected).toBe(0);
      expect(report.counts.accepted + report.counts.duplicates).toBe(lines);
      expect(report.counts.duplicates).toBe(stored.n);
      expect(await currentClaims(prefix)).toEqual({ n: lines, ids: lines, maxVersion: 1 });
    });
  }
});

async function startRun(period: string) {
  return call("POST", "/v1/settlements", { key: demoKeys.agency, json: { regionId: "demo", period } });
}

describe("settlement runs under faults", () => {
  let clean: RunBody;

  beforeAll(async () => {
    clean = await settle(demoKeys.agency, "demo", "2026-03");
    expect(clean.status).toBe("completed");
  });

  for (const step of ["snapshot", "allocate", "statements"]) {
    it(`a "${step}" step that throws once is retried and gives the same totals and hashes as a clean run`, async () => {
      const run = await settle(demoKeys.agency, "demo", "2026-03", async (m) => {
        await m.disableSleeps();
        await m.mockStepError({ name: step }, new Error(`injected ${step} fault`), 1);
      });
      expect(run.status).toBe("completed");
      expect(run.id).not.toBe(clean.id);
      expect(run.inputHash).toBe(clean.inputHash);
      expect(run.outputHash).toBe(clean.outputHash);
      expect(run.totals).toEqual(clean.totals);
    });
  }

  it("the same run started twice at once: one starts, the other is refused, and one result lands", async () => {
    const introspector = await introspectWorkflow(env.SETTLEMENT_RUN);
    try {
      const [a, b] = await Promise.all([startRun("2026-04"), startRun("2026-04")]);
      expect([a.status, b.status].sort()).toEqual([202, 409]);
      const started = (await (a.status === 202 ? a : b).json()) as RunBody;
      for (const instance of await introspector.get()) await instance.waitForStatus("complete");
      const runs = await env.DB.prepare("SELECT id, status FROM settlement_runs WHERE region_id = 'demo' AND period = '2026-04'").all<{ id: string; status: string }>();
      expect(runs.results).toEqual([{ id: started.id, status: "completed" }]);
    } finally {
      await introspector.dispose();
    }
  });

  it("two runs of one month approved at the same moment: exactly one approval lands, the other is 409", async () => {
    const first = await settle(demoKeys.agency, "demo", "2026-06");
    const second = await settle(demoKeys.agency, "demo", "2026-06");
    const [a, b] = await Promise.all([
      call("POST", `/v1/settlements/${first.id}/approve`, { key: demoKeys.agency }),
      call("POST", `/v1/settlements/${second.id}/approve`, { key: demoKeys.agency }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const approved = await env.DB.prepare("SELECT count(*) AS n FROM settlement_runs WHERE region_id = 'demo' AND period = '2026-06' AND status = 'approved'").first<{ n: number }>();
    expect(approved!.n).toBe(1);
  });
});
