import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountPaymentSchedule, clearBudgetAccount, evenMonthlySplit } from "../../src/payment/budget-account.js";
import { capitationEntitlement, consortiumEntitlement, type Enrolment } from "../../src/payment/capitation-entitlement.js";
import { budgetWarning } from "../../src/payment/early-warning.js";
import { parseRegionYearParameters } from "../../src/payment/parameters.js";
import { params, yuan } from "./builders.js";

const p = params();
const cap = p.capitation.account;
const cons = p.consortium.account;
const enrol = (personId: string, diseases: string[], enrolledFrom = "2026-01-01", enrolledUntil: string | null = null): Enrolment => ({ personId, diseases, enrolledFrom, enrolledUntil });
const exampleC = [enrol("P1", ["hypertension"]), enrol("P2", ["diabetes", "hypertension"]), enrol("P3", ["diabetes"], "2026-04-01")];

describe("capitation entitlement (RULES.md §4), worked example C", () => {
  const c = capitationEntitlement(exampleC, 2026, p);
  it("E = 600 + (900 + 50% × 600) + 900 × 9/12 = 2,475.00", () => {
    expect(c.entitlement).toBe(yuan(2_475));
    expect(c.persons.map((x) => [x.personId, x.annualQuota, x.countedMonths])).toEqual([
      ["P1", yuan(600), 12],
      ["P2", yuan(1_200), 12],
      ["P3", yuan(900), 9],
    ]);
  });
  it("prepays 150.00 a month Jan–Mar and 225.00 Apr–Dec", () => {
    expect(c.months.map((m) => m.prepayment)).toEqual([...Array(3).fill(yuan(150)), ...Array(9).fill(yuan(225))]);
  });
  it("a person enrolled mid-month counts from the next month's first day", () => {
    const mid = capitationEntitlement([enrol("P", ["diabetes"], "2026-04-02")], 2026, p);
    expect(mid.months.find((m) => m.month === "2026-04")!.people).toBe(0);
    expect(mid.months.find((m) => m.month === "2026-05")!.people).toBe(1);
    expect(mid.entitlement).toBe(yuan(600)); // 900 × 8/12
  });
  it("a person whose enrolment ends on the 1st still counts for that month", () => {
    expect(capitationEntitlement([enrol("P", ["hypertension"], "2026-01-01", "2026-03-01")], 2026, p).entitlement).toBe(yuan(150));
  });
  it("prepayments always sum to E, to the fen, even with quotas not divisible by 12", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ q: fc.integer({ min: 1, max: 1e7 }), from: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 8 }), (people) => {
        const pp = params((x) => (x.capitation.quotas = Object.fromEntries(people.map((pe, i) => [`d${i}`, pe.q]))));
        const r = capitationEntitlement(people.map((pe, i) => enrol(`P${i}`, [`d${i}`, "d0"], `2026-${String(pe.from).padStart(2, "0")}-01`)), 2026, pp);
        expect(r.months.reduce((a, m) => a + m.prepayment, 0)).toBe(r.entitlement);
      }),
    );
  });
  it("an unknown disease is rejected naming the enrolment", () => {
    expect(() => capitationEntitlement([enrol("P", ["gout"])], 2026, p)).toThrow(/enrolments\[0\]\.diseases\[0\]: no capitation quota for disease "gout"/);
  });
});

describe("budget-account clearing (RULES.md §4)", () => {
  it("example C(i): surplus 275 below the 15% cap is retained; clearing −300.00", () => {
    const r = clearBudgetAccount({ entitlement: yuan(2_475), internal: yuan(1_900), outflow: yuan(300), score: 0, paymentsMade: yuan(2_475) }, cap);
    expect(r).toMatchObject({ balance: yuan(275), retentionCap: 37_125, retained: yuan(275), holderTotal: yuan(2_175), clearingPayment: yuan(-300) });
  });
  it("example C(ii): overspend 525, tier 0–10% = 247.50 at 50% → Fs 123.75; clearing −176.25", () => {
    const r = clearBudgetAccount({ entitlement: yuan(2_475), internal: yuan(2_700), outflow: yuan(300), score: 0, paymentsMade: yuan(2_475) }, cap);
    expect(r).toMatchObject({ balance: yuan(-525), fundShare: 12_375, holderTotal: 229_875, clearingPayment: -17_625 });
    expect(r.overspendTiers[0]).toMatchObject({ from: "0.0000", to: "0.1000", part: 24_750, amount: 12_375 });
    expect(r.overspendTiers[1]).toMatchObject({ from: "0.1000", to: null, part: 27_750, amount: 0 });
  });
  const E = consortiumEntitlement({ perCapita: yuan(1_500), population: 40_000 });
  it("example D: E = 1,500 × 40,000 = 60,000,000.00", () => expect(E).toBe(yuan(60_000_000)));
  it("example D(i): score 85 retains 80% of the 2,000,000 surplus; T = 51,600,000", () => {
    const r = clearBudgetAccount({ entitlement: E, internal: yuan(50_000_000), outflow: yuan(8_000_000), score: 85, paymentsMade: yuan(52_000_000) }, cons);
    expect(r).toMatchObject({ retained: yuan(1_600_000), returnedToFund: yuan(400_000), holderTotal: yuan(51_600_000), clearingPayment: yuan(-400_000) });
  });
  it("example D(ii): overspend exactly on the 5% tier boundary is all shared at 70%; the consortium bears 900,000", () => {
    const r = clearBudgetAccount({ entitlement: E, internal: yuan(58_000_000), outflow: yuan(5_000_000), score: 85, paymentsMade: yuan(55_000_000) }, cons);
    expect(r).toMatchObject({ balance: yuan(-3_000_000), fundShare: yuan(2_100_000), holderTotal: yuan(57_100_000), holderBears: yuan(900_000) });
    expect(r.overspendTiers.map((t) => t.part)).toEqual([yuan(3_000_000), 0, 0]);
  });
  it("one fen over the tier boundary is shared at the next tier's rate", () => {
    const r = clearBudgetAccount({ entitlement: E, internal: yuan(58_000_000) + 2, outflow: yuan(5_000_000), score: 85, paymentsMade: 0 }, cons);
    expect(r.fundShare).toBe(yuan(2_100_000) + 1); // 2 fen × 50% = 1
  });
  it("no overspend sharing below sMin; score exactly sMin shares", () => {
    const at = (score: number) => clearBudgetAccount({ entitlement: E, internal: yuan(58_000_000), outflow: yuan(5_000_000), score, paymentsMade: 0 }, cons).fundShare;
    expect(at(59.99)).toBe(0);
    expect(at(60)).toBe(yuan(2_100_000));
  });
  it("retention by score tier: exactly 90 keeps 100%, exactly 80 keeps 80%, exactly 60 keeps 50%, below 60 nothing", () => {
    const at = (score: number) => clearBudgetAccount({ entitlement: E, internal: yuan(50_000_000), outflow: yuan(8_000_000), score, paymentsMade: 0 }, cons).retained;
    expect([at(90), at(89.9), at(80), at(60), at(59)]).toEqual([yuan(2_000_000), yuan(1_600_000), yuan(1_600_000), yuan(1_000_000), 0]);
  });
  it("the retention cap limits what is kept", () => {
    const r = clearBudgetAccount({ entitlement: yuan(1_000), internal: 0, outflow: 0, score: 100, paymentsMade: 0 }, cap);
    expect(r.retained).toBe(yuan(150));
  });
});

describe("budget-account payments (RULES.md §4)", () => {
  it("consortium monthly payment is E/12 minus the month's outflow, and an advance is recovered at clearing", () => {
    const rules = { ...cons, advanceMonths: 1 };
    const s = accountPaymentSchedule({
      entitlement: yuan(1_200),
      baseByMonth: evenMonthlySplit(yuan(1_200), 2026),
      spending: { monthly: [{ month: "2026-01", internal: 0, outflow: yuan(30) }] },
      rules,
    });
    expect(s.advance).toBe(yuan(100));
    expect(s.months[0]).toMatchObject({ base: yuan(100), outflowDeducted: yuan(30), payment: yuan(70) });
    expect(s.total).toBe(yuan(1_200 + 100 - 30));
    const r = clearBudgetAccount({ entitlement: yuan(1_200), internal: yuan(1_170), outflow: yuan(30), score: 90, paymentsMade: s.total }, rules);
    expect(r.clearingPayment).toBe(yuan(-100));
  });
  it("an even monthly split of E sums to E exactly", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e14 }), (e) => {
      expect(evenMonthlySplit(e, 2026).reduce((a, m) => a + m.amount, 0)).toBe(e);
    }));
  });
});

describe("early warning (RULES.md §4)", () => {
  const warn = (spentYuan: number, months: number) => budgetWarning({ entitlement: yuan(1_200), spent: yuan(spentYuan), elapsedMonths: months }, p.warning);
  it("exactly 5 pp ahead of time progress is still green; beyond is yellow; beyond 10 pp red", () => {
    expect(warn(660, 6).status).toBe("green"); // 55% vs 50%
    expect(warn(660.01, 6).status).toBe("yellow");
    expect(warn(720, 6).status).toBe("yellow"); // exactly 10 pp
    expect(warn(720.01, 6).status).toBe("red");
  });
  it("projects the year end from the monthly run rate", () => {
    expect(warn(720, 6)).toMatchObject({ projectedYearEnd: yuan(1_440), projectedBalance: yuan(-240), executionRate: "60.00%", timeProgress: "50.00%", gapPp: "10.00" });
  });
});

describe("budget-account parameters are validated", () => {
  it("overspend tiers that do not reach ∞ are rejected", () => {
    expect(() => parseRegionYearParameters(params((x) => (x.consortium.account.overspendTiers = [{ upTo: 500, rate: 7000 }])))).toThrow(/parameters\.consortium\.account\.overspendTiers\[0\]\.upTo: the last tier must have upTo null/);
  });
  it("non-monotonic score tiers are rejected", () => {
    expect(() => parseRegionYearParameters(params((x) => (x.consortium.account.retentionTiers[2]!.rate = 1000)))).toThrow(/retentionTiers\[2\]\.rate: score tiers must be non-decreasing/);
    expect(() => parseRegionYearParameters(params((x) => (x.drg.depositReturnTiers[0]!.minScore = 10)))).toThrow(/depositReturnTiers\[0\]\.minScore: the first score tier must start at 0/);
  });
  it("negative rates are rejected", () => {
    expect(() => parseRegionYearParameters(params((x) => (x.drg.depositRate = -5)))).toThrow(/parameters\.drg\.depositRate/);
  });
});

describe("region-year parameter set", () => {
  it("the RULES.md defaults validate", () => {
    expect(() => parseRegionYearParameters(params())).not.toThrow();
  });
  it("a monthly budget outside the set's year is rejected naming the month", () => {
    expect(() => parseRegionYearParameters(params((x) => (x.drg.monthlyBudgets["2025-12"] = 1)))).toThrow(/parameters\.drg\.monthlyBudgets\.2025-12: month 2025-12 is not in year 2026/);
  });
  it("H bands that do not cover every RW are rejected", () => {
    expect(() => parseRegionYearParameters(params((x) => (x.drg.highThresholdBands = [{ maxRw: 10_000, h: 30_000 }])))).toThrow(/parameters\.drg\.highThresholdBands\[0\]\.maxRw/);
  });
  it("a yellow threshold above the red one is rejected", () => {
    expect(() => parseRegionYearParameters(params((x) => (x.warning.yellowAbove = 2_000)))).toThrow(/parameters\.warning\.redAbove/);
  });
  it("every problem is listed, not only the first", () => {
    try {
      parseRegionYearParameters(params((x) => {
        x.drg.depositRate = -1;
        x.perDiem.psychiatric![2]!.fromDay = 100;
      }));
      expect.unreachable();
    } catch (e) {
      expect((e as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(["parameters.drg.depositRate", "parameters.perDiem.psychiatric[2].fromDay"]);
    }
  });
});
