import { beforeAll, describe, expect, it } from "vitest";
import { call, demoKeys, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";
import * as schema from "../../src/db/schema";
import { addAccount, addClaim, addPersons, db, seedBudgetRegion, type BudgetRegion } from "./builders";

let r: BudgetRegion;
const REGION = "wrn";
const E = 12_000_000;

beforeAll(async () => {
  await withDemoRegion();
  r = await seedBudgetRegion({ regionId: REGION, hospitals: ["W1", "W2", "OUT"], consortia: [{ id: "WC", members: ["W1"] }, { id: "WD", members: ["W2"] }] });
  await addAccount({ regionId: REGION, kind: "consortium", holderId: "WC", entitlementOverrideFen: E });
  await addAccount({ regionId: REGION, kind: "consortium", holderId: "WD", entitlementOverrideFen: E });
  await addAccount({ regionId: REGION, kind: "capitation", holderId: "W1" });
  await addPersons(REGION, ["WC-1"], "WC");
  // 30% of E spent in January: 25% internal, 5% outflow.
  await addClaim({ regionId: REGION, hospitalId: "W1", personId: "WC-1", month: "2026-01", fundValueFen: 3_000_000 });
  await addClaim({ regionId: REGION, hospitalId: "OUT", personId: "WC-1", month: "2026-01", fundValueFen: 600_000 });
});

async function warning(asOf: string) {
  const res = await call("GET", `/v1/consortia/WC/budget?year=2026&asOf=${asOf}`, { key: r.keyOf("WC") });
  expect(res.status).toBe(200);
  return ((await res.json()) as { warning: { status: string; executionRate: string; timeProgress: string; gapPp: string; projectedYearEnd: number } }).warning;
}

describe("early warning (RULES.md §4: yellow beyond +5 pp, red beyond +10 pp of time progress)", () => {
  it("30% spent after two months (16.67%) is red; after three months (25%, exactly +5 pp) is green", async () => {
    expect(await warning("2026-02-10")).toMatchObject({ status: "red", executionRate: "30.00%", timeProgress: "16.67%" });
    expect(await warning("2026-03-01")).toMatchObject({ status: "green", executionRate: "30.00%", timeProgress: "25.00%", gapPp: "5.00", projectedYearEnd: 14_400_000 });
  });

  it("the projected year-end outcome clears the run-rate spending at the assumed score 60 (tiers 5% at 70%, 5–10% at 50%)", async () => {
    const res = await call("GET", "/v1/consortia/WC/budget?year=2026&asOf=2026-03-01", { key: r.keyOf("WC") });
    const v = (await res.json()) as { score: unknown; outcomeProjected: Record<string, unknown> };
    expect(v.score).toEqual({ value: 60, source: "default" });
    // I 12,000,000 and O 2,400,000 projected (×12/3): o = 2,400,000 = 20% of E.
    expect(v.outcomeProjected).toMatchObject({ internal: 12_000_000, outflow: 2_400_000, overspend: 2_400_000, fundShare: 420_000 + 300_000, holderTotal: 10_320_000 });
    // Paid over the year: 12 × E/12 − O, with the projected outflow deducted month by month.
    expect(v.outcomeProjected).toMatchObject({ paymentsMade: 9_600_000, clearingPayment: 720_000 });
  });

  it("30.5% after three months is yellow; exactly +10 pp stays yellow; one fen more is red", async () => {
    await addClaim({ regionId: REGION, hospitalId: "W1", personId: "WC-1", month: "2026-03", fundValueFen: 60_000 });
    expect(await warning("2026-03-31")).toMatchObject({ status: "yellow", executionRate: "30.50%" });
    await addClaim({ regionId: REGION, hospitalId: "W1", personId: "WC-1", month: "2026-03", fundValueFen: 540_000 });
    expect(await warning("2026-03-31")).toMatchObject({ status: "yellow", gapPp: "10.00" });
    await addClaim({ regionId: REGION, hospitalId: "OUT", personId: "WC-1", month: "2026-02", fundValueFen: 1 });
    expect((await warning("2026-03-31")).status).toBe("red");
  });

  it("spending of months after the as-of date is not yet counted", async () => {
    const w = await warning("2026-01-20");
    expect(w.executionRate).toBe("30.00%");
  });
});

describe("who may see a budget account", () => {
  it("a consortium manager cannot see another consortium of the same region (404)", async () => {
    await expectProblem(await call("GET", "/v1/consortia/WD/budget?year=2026&asOf=2026-03-01", { key: r.keyOf("WC") }), 404);
    await expectProblem(await call("GET", "/v1/consortia/WC/budget?year=2026&asOf=2026-03-01", { key: r.keyOf("WD") }), 404);
  });

  it("another region's consortium and agency get 404; a hospital key gets 403", async () => {
    await expectProblem(await call("GET", "/v1/consortia/WC/budget?year=2026", { key: demoKeys.consortium.C01 }), 404);
    await expectProblem(await call("GET", "/v1/consortia/WC/budget?year=2026", { key: demoKeys.agency }), 404);
    await expectProblem(await call("GET", "/v1/consortia/WC/budget?year=2026", { key: r.keyOf("W1") }), 403);
  });

  it("the agency of the region sees every account", async () => {
    expect((await call("GET", "/v1/consortia/WD/budget?year=2026&asOf=2026-03-01", { key: r.agencyKey })).status).toBe(200);
    expect((await call("GET", "/v1/capitation/W1/budget?year=2026&asOf=2026-03-01", { key: r.agencyKey })).status).toBe(200);
  });

  it("a capitation account is the contractor's own: another hospital gets 404, a consortium key 403", async () => {
    expect((await call("GET", "/v1/capitation/W1/budget?year=2026&asOf=2026-03-01", { key: r.keyOf("W1") })).status).toBe(200);
    await expectProblem(await call("GET", "/v1/capitation/W1/budget?year=2026", { key: r.keyOf("W2") }), 404);
    await expectProblem(await call("GET", "/v1/capitation/W1/budget?year=2026", { key: r.keyOf("WC") }), 403);
  });

  it("a year without an account is 404; a malformed asOf is 400 naming the field", async () => {
    await expectProblem(await call("GET", "/v1/consortia/WC/budget?year=2025", { key: r.keyOf("WC") }), 404);
    const bad = await expectProblem(await call("GET", "/v1/consortia/WC/budget?asOf=2026-13-01", { key: r.keyOf("WC") }), 400);
    expect(bad.errors?.[0]?.field).toBe("query.asOf");
  });

  it("only the agency sets the entitlement override; a negative amount is rejected by field", async () => {
    await expectProblem(await call("PUT", "/v1/consortia/WC/budget/2026", { key: r.keyOf("WC"), json: { entitlementOverrideFen: 1 } }), 403);
    const bad = await expectProblem(await call("PUT", "/v1/consortia/WC/budget/2026", { key: r.agencyKey, json: { entitlementOverrideFen: -1 } }), 400);
    expect(bad.errors?.[0]?.field).toBe("entitlementOverrideFen");
    const ok = await call("PUT", "/v1/consortia/WD/budget/2027", { key: r.agencyKey, json: { advanceFen: 500 } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: "consortium-WD-2027", advanceFen: 500, entitlementOverrideFen: null });
  });
});

describe("payments made (RULES.md §4: E/12 − O_m monthly, an advance recovered at clearing, recorded payments)", () => {
  it("counts the advance, recorded prepayments in place of the schedule, and scheduled months that have started", async () => {
    expect((await call("PUT", "/v1/consortia/WD/budget/2026", { key: r.agencyKey, json: { advanceFen: 1_000_000 } })).status).toBe(200);
    await db().insert(schema.budgetPayments).values({ accountId: "consortium-WD-2026", period: "2026-01", kind: "prepayment", amountFen: 999 });
    const res = await call("GET", "/v1/consortia/WD/budget?year=2026&asOf=2026-02-10", { key: r.keyOf("WD") });
    const v = (await res.json()) as { payments: { advance: number; madeToDate: number; scheduledForYear: number; months: { month: string; recorded: number | null; scheduled: number; made: boolean }[] }; outcomeToday: { paymentsMade: number } };
    expect(v.payments.advance).toBe(1_000_000);
    expect(v.payments.months[0]).toMatchObject({ month: "2026-01", recorded: 999, scheduled: E / 12, made: true });
    expect(v.payments.months[1]).toMatchObject({ month: "2026-02", recorded: null, made: true });
    expect(v.payments.madeToDate).toBe(1_000_000 + 999 + E / 12);
    expect(v.outcomeToday.paymentsMade).toBe(v.payments.madeToDate);
    expect(v.payments.scheduledForYear).toBe(1_000_000 + 999 + (11 * E) / 12);
  });
});
