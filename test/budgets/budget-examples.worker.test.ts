import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem } from "../support/http";
import { markMonthsApproved } from "../support/approved-months";
import { addAccount, addClaim, addEnrolment, addPersons, addScore, seedBudgetRegion, yuan, type BudgetRegion } from "./builders";

/*
 * RULES.md §4 worked examples C (capitation) and D (consortium) through the
 * API: accounts, claims and enrolments are arranged so that I, O, E and the
 * score match the example, then the view and the recorded clearing must
 * reproduce retained / shared / T / clearing to the fen.
 */
let r: BudgetRegion;
const REGION = "exr";

beforeAll(async () => {
  r = await seedBudgetRegion({
    regionId: REGION,
    hospitals: ["M1", "M2", "X1", "X2", "CA", "CB"],
    consortia: [
      { id: "D1", members: ["M1", "M2"] },
      { id: "D2", members: ["M1", "M2"] },
    ],
  });
  // Example D: E = 1,500 × 40,000 = 60,000,000.00 yuan, set by the agency.
  for (const id of ["D1", "D2"]) {
    const put = await call("PUT", `/v1/consortia/${id}/budget/2026`, { key: r.agencyKey, json: { entitlementOverrideFen: yuan(60_000_000) } });
    expect(put.status, await put.clone().text()).toBe(200);
    await addScore(REGION, "consortium", id, 85);
  }
  await addPersons(REGION, ["D1-a", "D1-b"], "D1");
  await addPersons(REGION, ["D2-a"], "D2");
  await addPersons(REGION, ["nobody"], null);
  // D(i): I = 50,000,000 (ten months × 5,000,000), O = 8,000,000 (eight months × 1,000,000).
  for (let m = 1; m <= 10; m++) await addClaim({ regionId: REGION, hospitalId: m % 2 ? "M1" : "M2", personId: "D1-a", month: `2026-${String(m).padStart(2, "0")}`, fundValueFen: yuan(5_000_000), patientPaidFen: yuan(1_000) });
  for (let m = 1; m <= 8; m++) await addClaim({ regionId: REGION, hospitalId: "X1", personId: "D1-b", month: `2026-${String(m).padStart(2, "0")}`, fundValueFen: yuan(1_000_000) });
  // Not charged to D1: a non-resident treated by a member, and a superseded claim.
  await addClaim({ regionId: REGION, hospitalId: "M1", personId: "nobody", month: "2026-03", fundValueFen: yuan(777) });
  await addClaim({ regionId: REGION, hospitalId: "X1", personId: "D1-b", month: "2026-03", fundValueFen: yuan(999), status: "superseded" });
  // D(ii): I = 58,000,000, O = 5,000,000.
  await addClaim({ regionId: REGION, hospitalId: "M1", personId: "D2-a", month: "2026-02", fundValueFen: yuan(30_000_000) });
  await addClaim({ regionId: REGION, hospitalId: "M2", personId: "D2-a", month: "2026-09", fundValueFen: yuan(28_000_000) });
  await addClaim({ regionId: REGION, hospitalId: "X2", personId: "D2-a", month: "2026-05", fundValueFen: yuan(5_000_000) });

  // Example C: P1 hypertension, P2 diabetes + hypertension, P3 diabetes from 2026-04-01, under contractors CA and CB.
  for (const c of ["CA", "CB"]) {
    await addAccount({ regionId: REGION, kind: "capitation", holderId: c });
    await addScore(REGION, "capitation", c, 90);
    await addPersons(REGION, [`${c}-P1`, `${c}-P2`, `${c}-P3`]);
    await addEnrolment({ regionId: REGION, personId: `${c}-P1`, contractorId: c, disease: "hypertension", startDate: "2026-01-01" });
    await addEnrolment({ regionId: REGION, personId: `${c}-P2`, contractorId: c, disease: "diabetes", startDate: "2026-01-01" });
    await addEnrolment({ regionId: REGION, personId: `${c}-P2`, contractorId: c, disease: "hypertension", startDate: "2026-01-01" });
    await addEnrolment({ regionId: REGION, personId: `${c}-P3`, contractorId: c, disease: "diabetes", startDate: "2026-04-01" });
  }
  // C(i): I = 1,900, O = 300.
  await addClaim({ regionId: REGION, hospitalId: "CA", personId: "CA-P1", month: "2026-02", fundValueFen: yuan(1_000) });
  await addClaim({ regionId: REGION, hospitalId: "CA", personId: "CA-P3", month: "2026-06", fundValueFen: yuan(900) });
  await addClaim({ regionId: REGION, hospitalId: "X1", personId: "CA-P2", month: "2026-07", fundValueFen: yuan(300) });
  // Before P3's enrolment: not the contractor's to carry.
  await addClaim({ regionId: REGION, hospitalId: "X1", personId: "CA-P3", month: "2026-02", fundValueFen: yuan(4_444) });
  // C(ii): I = 2,700, O = 300.
  await addClaim({ regionId: REGION, hospitalId: "CB", personId: "CB-P2", month: "2026-03", fundValueFen: yuan(2_700) });
  await addClaim({ regionId: REGION, hospitalId: "X2", personId: "CB-P1", month: "2026-11", fundValueFen: yuan(300) });
  await markMonthsApproved(REGION, 2026); // the year is settled: clearings are final (RULES.md §2)
});

interface View {
  entitlement: { amount: number; source: string };
  payments: { months: { month: string; amount: number }[]; madeToDate: number; scheduledForYear: number; advance: number };
  spending: { internal: number; outflow: number; byInternalHospital: { hospitalId: string; fundValue: number }[]; byOutflowHospital: { hospitalId: string; fundValue: number }[] };
  balance: number;
  score: { value: number; source: string };
  outcomeProjected: unknown;
  outcomeToday: { retained: number; returnedToFund: number; fundShare: number; holderBears: number; holderTotal: number; clearingPayment: number; overspend: number; paymentsMade: number };
}

async function view(path: string, key: string): Promise<View> {
  const res = await call("GET", path, { key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as View;
}

async function clear(path: string): Promise<{ result: View["outcomeToday"] & { entitlement: number; internal: number; outflow: number } }> {
  const res = await call("POST", path, { key: r.agencyKey });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as never;
}

describe("example D (consortium) through the API", () => {
  it("D(i): b = 2,000,000 at score 85 → retained 1,600,000, 400,000 returns to the fund, T = 51,600,000", async () => {
    const v = await view("/v1/consortia/D1/budget?year=2026&asOf=2026-12-31", r.keyOf("D1"));
    expect(v.entitlement).toEqual({ amount: yuan(60_000_000), source: "override" });
    expect(v.spending.internal).toBe(yuan(50_000_000));
    expect(v.spending.outflow).toBe(yuan(8_000_000));
    expect(v.balance).toBe(yuan(2_000_000));
    expect(v.score).toEqual({ value: 85, source: "assessment" });
    expect(v.outcomeToday.retained).toBe(yuan(1_600_000));
    expect(v.outcomeToday.returnedToFund).toBe(yuan(400_000));
    expect(v.outcomeToday.holderTotal).toBe(yuan(51_600_000));
    // Monthly payment E/12 − O_m: Σ = E − O = 52,000,000, so 400,000 is due back.
    expect(v.payments.months[0]!.amount).toBe(yuan(5_000_000 - 1_000_000));
    expect(v.payments.months[11]!.amount).toBe(yuan(5_000_000));
    expect(v.outcomeToday.paymentsMade).toBe(yuan(52_000_000));
    expect(v.outcomeToday.clearingPayment).toBe(-yuan(400_000));
    // At year end the run-rate projection is the year itself.
    expect(v.outcomeProjected).toEqual(v.outcomeToday);
    expect(v.spending.byInternalHospital).toEqual([
      { hospitalId: "M1", claims: 5, fundValue: yuan(25_000_000) },
      { hospitalId: "M2", claims: 5, fundValue: yuan(25_000_000) },
    ]);
    expect(v.spending.byOutflowHospital).toEqual([{ hospitalId: "X1", claims: 8, fundValue: yuan(8_000_000) }]);

    const c = await clear("/v1/consortia/D1/clearing?year=2026");
    expect(c.result).toMatchObject({ entitlement: yuan(60_000_000), internal: yuan(50_000_000), outflow: yuan(8_000_000), retained: yuan(1_600_000), holderTotal: yuan(51_600_000), clearingPayment: -yuan(400_000) });
    await expectProblem(await call("POST", "/v1/consortia/D1/clearing?year=2026", { key: r.agencyKey }), 409);
  });

  it("D(ii): o = 3,000,000 (5% of E) → Fs = 2,100,000, T = 57,100,000, the consortium bears 900,000", async () => {
    const c = await clear("/v1/consortia/D2/clearing?year=2026");
    expect(c.result.overspend).toBe(yuan(3_000_000));
    expect(c.result.fundShare).toBe(yuan(2_100_000));
    expect(c.result.holderTotal).toBe(yuan(57_100_000));
    expect(c.result.holderBears).toBe(yuan(900_000));
    // Paid E − O = 55,000,000 during the year; T − paid = 2,100,000 owed to the consortium.
    expect(c.result.paymentsMade).toBe(yuan(55_000_000));
    expect(c.result.clearingPayment).toBe(yuan(2_100_000));
  });
});

describe("example C (capitation) through the API", () => {
  it("E = 2,475.00 from enrolments; prepayments 150.00 Jan–Mar and 225.00 Apr–Dec", async () => {
    const v = await view("/v1/capitation/CA/budget?year=2026&asOf=2026-12-31", r.keyOf("CA"));
    expect(v.entitlement).toEqual({ amount: yuan(2_475), source: "enrolments" });
    expect(v.payments.months.map((m) => m.amount)).toEqual([...Array(3).fill(yuan(150)), ...Array(9).fill(yuan(225))]);
    expect(v.payments.scheduledForYear).toBe(yuan(2_475));
  });

  it("C(i): I = 1,900, O = 300 → retained 275, T = 2,175, clearing −300.00", async () => {
    const c = await clear("/v1/capitation/CA/clearing?year=2026");
    expect(c.result).toMatchObject({ entitlement: yuan(2_475), internal: yuan(1_900), outflow: yuan(300), retained: yuan(275), holderTotal: yuan(2_175), clearingPayment: -yuan(300) });
  });

  it("C(ii): I = 2,700, O = 300 → Fs = 123.75, T = 2,298.75, clearing −176.25", async () => {
    const c = await clear("/v1/capitation/CB/clearing?year=2026");
    expect(c.result).toMatchObject({ internal: yuan(2_700), outflow: yuan(300), overspend: yuan(525), fundShare: 12_375, holderTotal: 229_875, clearingPayment: -17_625 });
  });
});
