import { beforeAll, describe, expect, it } from "vitest";
import { NOW_HEADER } from "../../src/http/clock";
import { addAccount, addScore, seedBudgetRegion, type BudgetRegion } from "../budgets/builders";
import { markMonthsApproved } from "../support/approved-months";
import { call, demoKeys, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { ndjson, NDJSON } from "./claims";
import { EXA, exampleAClaims, seedExampleRegion, settle } from "./support";

/* RULES.md §2 "The month's edges": runs of ended months only, no empty approval, trial and final clearings. */

const on = (date: string) => ({ [NOW_HEADER]: date });
const startRun = (regionId: string, period: string, now: string, key = demoKeys.agency) => call("POST", "/v1/settlements", { key, json: { regionId, period }, headers: on(now) });

let budget: BudgetRegion;
beforeAll(async () => {
  await withDemoRegion();
  await seedExampleRegion();
  await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson(exampleAClaims("edge")), headers: NDJSON });
  budget = await seedBudgetRegion({ regionId: "edg", hospitals: ["G1", "G2"], consortia: [{ id: "GC", members: ["G1"] }] });
  await addAccount({ regionId: "edg", kind: "consortium", holderId: "GC", entitlementOverrideFen: 1_200_000 });
  await addScore("edg", "consortium", "GC", 90);
});

describe("a run starts only after its month has ended", () => {
  it("a December run on 2 December is refused with the reason (409)", async () => {
    const p = await expectProblem(await startRun("demo", "2026-12", "2026-12-02"), 409);
    expect(p.detail).toContain("2026-12 is the current month");
    expect(p.detail).toContain("2027-01-01");
    const runs = (await (await call("GET", "/v1/settlements?regionId=demo&period=2026-12", { key: demoKeys.agency })).json()) as { runs: unknown[] };
    expect(runs.runs).toEqual([]);
  });

  it("a run for March of next year is refused (409), not failed with an internal error", async () => {
    const p = await expectProblem(await startRun("demo", "2027-03", "2026-12-02"), 409);
    expect(p.detail).toContain("2027-03 has not begun");
  });

  it("November may be run on 2 December", async () => {
    const run = await settle(demoKeys.agency, "demo", "2026-11", undefined, "2026-12-02");
    expect(run.status).toBe("completed");
  });
});

describe("an empty run cannot be approved", () => {
  it("a completed run with no episodes is a 409 on approval, and the month stays open", async () => {
    const run = await settle(demoKeys.agency, "demo", "2026-08", undefined, "2026-12-02");
    expect(run).toMatchObject({ status: "completed", progress: { episodesTotal: 0 } });
    const p = await expectProblem(await call("POST", `/v1/settlements/${run.id}/approve`, { key: demoKeys.agency }), 409);
    expect(p.detail).toContain("no episodes");
    const read = (await (await call("GET", `/v1/settlements/${run.id}`, { key: demoKeys.agency })).json()) as { status: string };
    expect(read.status).toBe("completed");
  });
});

interface ClearingBody {
  id: string | null;
  final: boolean;
  missingMonths: string[];
  result: { clearing: { lines: { hospitalId: string; entitlement: number; clearingPayment: number }[] } };
}
const clearExa = () => call("POST", "/v1/clearings", { key: EXA.keys.agency, json: { regionId: "exa", year: 2026 } });
const listExa = async () => ((await (await call("GET", "/v1/clearings?year=2026", { key: EXA.keys.agency })).json()) as { clearings: ClearingBody[] }).clearings;

describe("the preview's point value and the DRG clearing of the year", () => {
  it("a draft (completed, unapproved) run's point value is not used by the preview; the approved one is, named", async () => {
    const previewed = async () => {
      const res = await call("POST", "/v1/preview", { key: EXA.keys.h1, json: { hospitalId: "EA1", scheme: "employee", sex: "M", ageYears: 60, losDays: 6, principalDx: "J18.900", secondaryDx: ["K29.700"], totalCostFen: 1_200_000, dischargeDate: "2026-10-09" } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { pointValue: { source: string; runId: string | null; period: string | null } }).pointValue;
    };
    const run = await settle(EXA.keys.agency, "exa", "2026-10", undefined, "2026-11-05");
    expect(run.status).toBe("completed");
    expect(await previewed()).toMatchObject({ source: "avg-all", runId: null, period: null });
    expect((await call("POST", `/v1/settlements/${run.id}/approve`, { key: EXA.keys.agency })).status).toBe(200);
    expect(await previewed()).toMatchObject({ source: "settlement", runId: run.id, period: "2026-10" });
  });

  it("with 11 of 12 months unapproved the clearing is a trial: shown (200), never recorded", async () => {
    const res = await clearExa();
    const body = JSON.parse(await res.text()) as ClearingBody;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ id: null, final: false });
    expect(body.missingMonths).toEqual(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-11", "2026-12"]);
    // Example A's month is the whole year so far: E_h = F_h (RULES.md §2).
    expect(body.result.clearing.lines.map((l) => [l.hospitalId, l.entitlement])).toEqual([["EA1", 4_295_133], ["EA2", 1_704_867]]);
    expect(await listExa()).toEqual([]);
  });

  it("with all twelve approved the final clearing is recorded once: two concurrent calls give one 201 and one 409", async () => {
    await markMonthsApproved("exa", 2026);
    const [a, b] = await Promise.all([clearExa(), clearExa()]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const [created, refused] = a.status === 201 ? [a, b] : [b, a];
    const body = (await created.json()) as ClearingBody;
    expect(body).toMatchObject({ final: true, missingMonths: [] });
    expect((await expectProblem(refused, 409)).detail).toContain("already recorded");
    const again = await expectProblem(await clearExa(), 409);
    expect(again.detail).toContain(body.id!);
    const listed = await listExa();
    expect(listed.map((c) => [c.id, c.final])).toEqual([[body.id, true]]);
  });
});

describe("budget-account clearings follow the same edge", () => {
  const clearGc = () => call("POST", "/v1/consortia/GC/clearing?year=2026", { key: budget.agencyKey });

  it("a consortium clearing in December is a trial and does not lock the account", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await clearGc();
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toMatchObject({ id: null, final: false, result: { entitlement: 1_200_000 } });
    }
  });

  it("once the year is approved it is recorded once (201, then 409), and listed for the region", async () => {
    await markMonthsApproved("edg", 2026);
    const res = await clearGc();
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { id: string; final: boolean };
    expect(body.final).toBe(true);
    expect((await expectProblem(await clearGc(), 409)).detail).toContain(body.id);
    const listed = (await (await call("GET", "/v1/clearings", { key: budget.agencyKey })).json()) as { clearings: { id: string; kind: string; subjectId: string }[] };
    expect(listed.clearings.map((c) => [c.id, c.kind, c.subjectId])).toEqual([[body.id, "consortium", "GC"]]);
  });
});
