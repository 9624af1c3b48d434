import { createExecutionContext, createScheduledController, env, introspectWorkflow, waitOnExecutionContext } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { call, demoKeys, expectProblem } from "../support/http";
import { markMonthsApproved } from "../support/approved-months";
import { withDemoRegion } from "../support/seed";
import { ndjson, NDJSON } from "./claims";
import { EXA, exampleAClaims, seedExampleRegion, settle } from "./support";

const yuan = (y: number) => y * 100;
const CLAIMS = exampleAClaims("k");

/** Runs the Worker's scheduled handler at `at` and drives any Workflow it starts to the end. */
async function cronAt(at: Date) {
  const introspector = await introspectWorkflow(env.SETTLEMENT_RUN);
  try {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: at.getTime(), cron: "0 2 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const instances = await introspector.get();
    for (const i of instances) await i.waitForStatus("complete");
    return instances.length;
  } finally {
    await introspector.dispose();
  }
}

const runsOf = async (period: string) =>
  ((await (await call("GET", `/v1/settlements?regionId=exa&period=${period}`, { key: EXA.keys.agency })).json()) as { runs: { id: string; status: string; inputHash: string }[] }).runs;

beforeAll(async () => {
  await withDemoRegion();
  await seedExampleRegion();
  await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson(CLAIMS), headers: NDJSON });
});

describe("the Cron trigger", () => {
  it("starts the previous month's run on the settlement day, once; changed inputs start a new run", async () => {
    expect(await cronAt(new Date(Date.UTC(2026, 10, 4, 2)))).toBe(0); // 4 November: not the settlement day
    expect(await cronAt(new Date(Date.UTC(2026, 10, 5, 2)))).toBe(2); // 5 November: settles 2026-10 of both regions due that day (exa and demo)
    const first = await runsOf("2026-10");
    expect(first.map((r) => r.status)).toEqual(["completed"]);
    expect(await cronAt(new Date(Date.UTC(2026, 10, 5, 2)))).toBe(0); // same inputs: skipped
    await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson([{ ...CLAIMS[4]!, totalCostFen: yuan(6_001) }]), headers: NDJSON });
    expect(await cronAt(new Date(Date.UTC(2026, 10, 5, 2)))).toBe(1);
    expect((await runsOf("2026-10")).length).toBe(2);
    // Put the claim back (a third version with the first content): the inputs equal the first run's again, so the cron skips.
    await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson([CLAIMS[4]!]), headers: NDJSON });
    expect(await cronAt(new Date(Date.UTC(2026, 10, 5, 2)))).toBe(0);
    const back = await settle(EXA.keys.agency, "exa", "2026-10");
    expect(back.inputHash).toBe(first[0]!.inputHash);
  }, 30_000); // six Workflow runs: past 5 s when the two cores are shared
});

describe("year-end clearing", () => {
  it("clears the year from the approved month, the annual budget and the scores (RULES.md §2)", async () => {
    const run = (await runsOf("2026-10")).find((r) => r.status === "completed")!;
    expect((await call("POST", `/v1/settlements/${run.id}/approve`, { key: EXA.keys.agency })).status).toBe(200);
    const scores = await call("PUT", "/v1/regions/exa/years/2026/scores", { key: EXA.keys.agency, json: [{ subjectKind: "hospital", subjectId: "EA1", score: 95 }, { subjectKind: "hospital", subjectId: "EA2", score: 75 }] });
    expect(scores.status, await scores.clone().text()).toBe(200);
    await expectProblem(await call("PUT", "/v1/regions/exa/years/2026/scores", { key: EXA.keys.agency, json: [{ subjectKind: "hospital", subjectId: "H01", score: 90 }] }), 400);
    await expectProblem(await call("PUT", "/v1/regions/exa/years/2026/scores", { key: EXA.keys.h1, json: [] }), 403);

    await markMonthsApproved("exa", 2026); // the other eleven months, with nothing paid: the clearing is final
    const res = await call("POST", "/v1/clearings", { key: EXA.keys.agency, json: { regionId: "exa", year: 2026 } });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    const body = JSON.parse(text) as { id: string; result: { clearing: { annualBudget: number; lines: { hospitalId: string; entitlement: number; deduction: number; paidMonthly: number; clearingPayment: number; depositReturnRate: number }[] } } };
    // Annual budget = Σ monthly budgets = the October budget only, so E_h = the month's F_h.
    expect(body.result.clearing.annualBudget).toBe(6_000_000);
    expect(body.result.clearing.lines.map((l) => [l.hospitalId, l.entitlement, l.deduction, l.paidMonthly, l.clearingPayment])).toEqual([
      // s = 95: the whole deposit comes back.
      ["EA1", 4_295_133, 0, 4_080_376, 214_757],
      // s = 75: q = 80%, D = round(1,704,867 × 5% × 20%) = round(17,048.67) = 17,049.
      ["EA2", 1_704_867, 17_049, 1_619_624, 68_194],
    ]);
    const own = (await (await call("GET", `/v1/clearings/${body.id}`, { key: EXA.keys.h2 })).json()) as typeof body;
    expect(own.result.clearing.lines.map((l) => l.hospitalId)).toEqual(["EA2"]);
    await expectProblem(await call("GET", `/v1/clearings/${body.id}`, { key: demoKeys.agency }), 404);
    await expectProblem(await call("POST", "/v1/clearings", { key: demoKeys.agency, json: { regionId: "exa", year: 2026 } }), 404);
    await expectProblem(await call("POST", "/v1/clearings", { key: demoKeys.agency, json: { regionId: "demo", year: 2027 } }), 409); // no parameters for 2027
  });
});
