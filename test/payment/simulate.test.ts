import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PaymentRuleError, scenarioJsonSchema, simulate, type Scenario, type SimulationResult } from "../../src/payment/index.js";
import { params, yuan } from "./builders.js";

const root = new URL("../../", import.meta.url);
const fixture = (x: string): Scenario => JSON.parse(readFileSync(new URL(`fixtures/scenarios/${x}.json`, root), "utf8"));
const cli = (x: string): SimulationResult =>
  JSON.parse(execFileSync("npx", ["tsx", "scripts/simulate.ts", `fixtures/scenarios/${x}.json`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));

function checkA(r: SimulationResult) {
  expect(r.episodes.map((e) => [e.episodeId, e.class, e.pointsText])).toEqual([
    ["e1", "normal", "120.0000"],
    ["e2", "high", "550.0000"],
    ["e3", "low", "15.0000"],
    ["e4", "normal", "102.0000"],
    ["e5", "normal", "42.5000"],
    ["e6", "ungroupable", "90.0000"],
  ]);
  const m = r.months[0]!;
  expect([m.month, m.budget, m.pool, m.totalPointsText, m.pointValue?.yuanPerPoint]).toEqual(["2026-10", 6_000_000, 8_920_000, "919.5000", "97.0092"]);
  expect(m.lines.map((l) => [l.hospitalId, l.pointsText, l.share, l.fundPayment, l.deposit, l.paidNow])).toEqual([
    ["H1", "685.0000", 6_645_133, 4_295_133, 214_757, 4_080_376],
    ["H2", "234.5000", 2_274_867, 1_704_867, 85_243, 1_619_624],
  ]);
  expect(m.totals.fundPayment).toBe(6_000_000);
}
function checkB(r: SimulationResult) {
  const c = r.perDiemClaims[0]!;
  expect([c.fromOrdinal, c.toOrdinal, c.standard, c.fundPayment]).toEqual([43, 73, 829_000, 746_100]);
  expect(r.perDiemMonths).toEqual([{ month: "2026-10", hospitalId: "MH1", claims: 1, countedDays: 31, standard: 829_000, patientPaid: 82_900, fundPayment: 746_100 }]);
}
function checkC(r: SimulationResult) {
  expect(r.budgetAccounts.map((a) => [a.id, a.entitlement, a.clearing.balance, a.clearing.retained, a.clearing.fundShare, a.clearing.holderTotal, a.clearing.clearingPayment])).toEqual([
    ["C-i", 247_500, 27_500, 27_500, 0, 217_500, -30_000],
    ["C-ii", 247_500, -52_500, 0, 12_375, 229_875, -17_625],
  ]);
  expect(r.budgetAccounts[0]!.capitation!.months.map((m) => m.prepayment)).toEqual([15_000, 15_000, 15_000, ...Array(9).fill(22_500)]);
}
function checkD(r: SimulationResult) {
  expect(r.budgetAccounts.map((a) => [a.id, a.entitlement, a.clearing.retained, a.clearing.returnedToFund, a.clearing.fundShare, a.clearing.holderBears, a.clearing.holderTotal])).toEqual([
    ["D-i", yuan(60_000_000), yuan(1_600_000), yuan(400_000), 0, 0, yuan(51_600_000)],
    ["D-ii", yuan(60_000_000), 0, 0, yuan(2_100_000), yuan(900_000), yuan(57_100_000)],
  ]);
}
const checks = { "example-a": checkA, "example-b": checkB, "example-c": checkC, "example-d": checkD } as const;

describe("worked examples A–D reproduce to the fen (RULES.md)", () => {
  for (const [name, check] of Object.entries(checks)) {
    it(`${name} through the library`, () => check(simulate(fixture(name))));
    it(`${name} through the CLI`, () => check(cli(name)), 30_000);
  }
  it("simulate is pure: the same scenario gives the same JSON twice", () => {
    expect(JSON.stringify(simulate(fixture("example-a")))).toBe(JSON.stringify(simulate(fixture("example-a"))));
  });
});

describe("scenario format", () => {
  it("the committed JSON Schema is up to date with the zod schemas (regenerate: npx tsx scripts/scenario-schema.ts)", () => {
    const committed = JSON.parse(readFileSync(new URL("fixtures/scenarios/scenario.schema.json", root), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
  it("bad parameters in a scenario are rejected naming the field", () => {
    const s = fixture("example-b");
    s.parameters.perDiem.psychiatric![1]!.fromDay = 70;
    expect(() => simulate(s)).toThrow(PaymentRuleError);
    expect(() => simulate(s)).toThrow(/^parameters\.perDiem\.psychiatric\[1\]\.fromDay: segment leaves a gap/);
  });
  it("an episode at an unknown hospital or of an unknown DRG names the episode", () => {
    const s = fixture("example-a");
    s.episodes![2]!.drg = "ZZ";
    expect(() => simulate(s)).toThrow(/^episodes\[2\]\.drg: DRG "ZZ"/);
    s.episodes![2]!.hospitalId = "H9";
    expect(() => simulate(s)).toThrow(/^episodes\[2\]\.hospitalId/);
  });
  it("the CLI exits 1 with a JSON error naming the field", () => {
    const file = join(mkdtempSync(join(tmpdir(), "medpay-")), "bad.json");
    writeFileSync(file, JSON.stringify({ ...fixture("example-b"), perDiemClaims: [{ ...fixture("example-b").perDiemClaims![0]!, patientPaid: -1 }] }));
    const r = spawnSync("npx", ["tsx", "scripts/simulate.ts", file], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(1);
    const err = JSON.parse(r.stderr.trim().split("\n").at(-1)!);
    expect(err).toMatchObject({ error: "invalid-scenario", field: "perDiemClaims[0].patientPaid" });
  }, 30_000);
});

describe("simulation across months", () => {
  const base = (): Scenario => {
    const s = fixture("example-a");
    s.parameters = params((p) => {
      p.drg.monthlyBudgets["2026-09"] = yuan(10_000);
      p.drg.monthlyBudgets["2026-10"] = yuan(60_000);
    });
    return s;
  };
  it("a readmission whose earlier stay was settled in September carries −half its points into October, and the annual clearing halves directly", () => {
    const s = base();
    s.episodes = [
      { id: "s1", hospitalId: "H1", personId: "P1", drg: "A", admissionDate: "2026-09-20", dischargeDate: "2026-09-25", totalCost: yuan(12_000), patientPaid: yuan(3_000) },
      { id: "s2", hospitalId: "H1", personId: "P1", drg: "A", admissionDate: "2026-10-05", dischargeDate: "2026-10-09", totalCost: yuan(12_000), patientPaid: yuan(3_000) },
      { id: "s3", hospitalId: "H2", drg: "B", admissionDate: "2026-10-05", dischargeDate: "2026-10-09", totalCost: yuan(5_000), patientPaid: 0 },
    ];
    s.hospitals = s.hospitals.map((h) => ({ ...h, score: 95 }));
    s.settlement = { annualClearing: true };
    const r = simulate(s);
    expect(r.adjustments).toMatchObject([{ hospitalId: "H1", month: "2026-10", pointsText: "-60.0000", episodeId: "s1" }]);
    expect(r.months.map((m) => [m.month, m.lines.find((l) => l.hospitalId === "H1")!.pointsText])).toEqual([
      ["2026-09", "120.0000"],
      ["2026-10", "60.0000"], // 120 for s2 − 60 adjustment
    ]);
    expect(r.annualClearing!.lines.find((l) => l.hospitalId === "H1")!.pointsText).toBe("180.0000");
    expect(r.annualClearing!.totals.entitlement).toBe(yuan(70_000));
  });
  it("when September is declared unsettled, the halving applies directly in September", () => {
    const s = base();
    s.episodes = [
      { id: "s1", hospitalId: "H1", personId: "P1", drg: "A", admissionDate: "2026-09-20", dischargeDate: "2026-09-25", totalCost: yuan(12_000), patientPaid: 0 },
      { id: "s2", hospitalId: "H1", personId: "P1", drg: "A", admissionDate: "2026-10-05", dischargeDate: "2026-10-09", totalCost: yuan(12_000), patientPaid: 0 },
    ];
    s.settlement = { settledMonths: [] };
    const r = simulate(s);
    expect(r.adjustments).toEqual([]);
    expect(r.months[0]!.lines[0]!.pointsText).toBe("60.0000");
  });
  it("a month without points leaves its budget unallocated instead of crashing", () => {
    const s = base();
    s.episodes = [];
    s.settlement = { months: ["2026-09"] };
    expect(simulate(s).months[0]).toMatchObject({ pointValue: null, unallocatedBudget: yuan(10_000) });
  });
  it("a month without a budget entry is an error naming parameters.drg.monthlyBudgets", () => {
    const s = base();
    delete s.parameters.drg.monthlyBudgets["2026-10"];
    expect(() => simulate(s)).toThrow(/^parameters\.drg\.monthlyBudgets\.2026-10/);
  });
  it("a consortium account with monthly spending gets E/12 − O_m payments and an early warning (exactly 10 pp ahead is yellow)", () => {
    const s = fixture("example-d");
    s.budgetAccounts = [
      {
        id: "D",
        kind: "consortium",
        score: 85,
        entitlement: { amount: yuan(1_200) },
        spending: { monthly: [1, 2, 3].map((m) => ({ month: `2026-0${m}`, internal: yuan(120), outflow: yuan(20) })) },
      },
    ];
    const acc = simulate(s).budgetAccounts[0]!;
    expect(acc.payments.months[0]).toMatchObject({ base: yuan(100), outflowDeducted: yuan(20), payment: yuan(80) });
    expect(acc.warning).toMatchObject({ elapsedMonths: 3, executionRate: "35.00%", gapPp: "10.00", status: "yellow", projectedYearEnd: yuan(1_680) });
  });
});

describe("conservation through the whole pipeline", () => {
  it("for every generated month Σ fund payments = B_m, and the monthly lines add up to the episodes' points", async () => {
    const fc = (await import("fast-check")).default;
    const episodeArb = fc.record({
      h: fc.constantFrom("H1", "H2", "H3"),
      drg: fc.constantFrom("A", "B", "C", "QY"),
      cost: fc.integer({ min: 0, max: 50_000_000 }),
      paid: fc.integer({ min: 0, max: 5_000_000 }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    fc.assert(
      fc.property(fc.array(episodeArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 1e12 }), (eps, budget) => {
        const s = fixture("example-a");
        s.parameters.drg.monthlyBudgets["2026-10"] = budget;
        s.hospitals = [{ id: "H1", level: "tertiary" }, { id: "H2", level: "secondary" }, { id: "H3", level: "primary" }];
        s.episodes = eps.map((e, i) => ({
          id: `g${i}`,
          hospitalId: e.h,
          drg: e.drg,
          admissionDate: "2026-10-01",
          dischargeDate: `2026-10-${String(e.day).padStart(2, "0")}`,
          totalCost: e.cost,
          patientPaid: e.paid,
        }));
        const m = simulate(s).months[0]!;
        if (m.totalPoints > 0) expect(m.totals.fundPayment).toBe(budget);
        else expect(m.unallocatedBudget).toBe(budget);
        expect(m.lines.reduce((a, l) => a + l.share, 0)).toBe(m.totalPoints > 0 ? m.pool : m.patientPaid);
      }),
      { numRuns: 200 },
    );
  });
  it("a hospital with only low cases is paid in proportion to its low-case points", () => {
    const s = fixture("example-a");
    s.episodes = [
      { id: "l1", hospitalId: "H1", drg: "B", admissionDate: "2026-10-01", dischargeDate: "2026-10-02", totalCost: yuan(1_000), patientPaid: yuan(100) },
      { id: "l2", hospitalId: "H1", drg: "A", admissionDate: "2026-10-01", dischargeDate: "2026-10-02", totalCost: yuan(2_400), patientPaid: yuan(100) },
      { id: "n1", hospitalId: "H2", drg: "A", admissionDate: "2026-10-01", dischargeDate: "2026-10-05", totalCost: yuan(12_000), patientPaid: yuan(1_000) },
    ];
    const r = simulate(s);
    expect(r.episodes.map((e) => [e.class, e.pointsText])).toEqual([["low", "10.0000"], ["low", "24.0000"], ["normal", "102.0000"]]);
    const h1 = r.months[0]!.lines[0]!;
    expect(h1.pointsText).toBe("34.0000");
    expect(h1.share).toBe(Math.floor((yuan(61_200) * 34) / 136)); // 15,300.00 yuan exactly
  });
});

describe("the what-if demo scenario", () => {
  const r = simulate(fixture("whatif-demo"));
  it("pays out exactly each month's budget and, at clearing, exactly the annual budget", () => {
    for (const m of r.months) expect(m.totals.fundPayment).toBe(m.budget);
    expect(r.annualClearing!.totals.entitlement).toBe(r.annualClearing!.annualBudget);
  });
  it("monthly points plus adjustments equal the annual points (the settled month is never reopened)", () => {
    const monthly = r.months.flatMap((m) => m.lines).reduce((a, l) => a + l.points, 0);
    expect(monthly).toBe(r.annualClearing!.totalPoints);
  });
  it("flags the readmission, the ungroupable case and the early warning", () => {
    expect(r.episodes.find((e) => e.episodeId === "d1")!.flags).toEqual(["readmission"]);
    expect(r.episodes.find((e) => e.episodeId === "d6")!.readmission).toBeNull(); // planned, and not a readmission anyway
    expect(r.episodes.find((e) => e.episodeId === "d7")!.flags).toEqual(["review"]);
    expect(r.budgetAccounts.map((a) => a.warning?.status)).toEqual(["red", "green"]);
  });
  it("every patient-share preview splits the whole cost between the payers", () => {
    for (const p of r.patientShares) expect(Object.values(p.byPayer).reduce((a, v) => a + v, 0)).toBe(p.totalCost);
  });
});
