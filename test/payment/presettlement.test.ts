import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { settleMonth } from "../../src/payment/presettlement.js";
import { clearYear } from "../../src/payment/annual-clearing.js";
import { params, yuan } from "./builders.js";

const w = 500;
const tiers = params().drg.depositReturnTiers;
const month = (budget: number, hospitals: { id: string; points: number; paid: number }[]) =>
  settleMonth({ month: "2026-10", budget, depositRate: w, hospitals: hospitals.map((h) => ({ hospitalId: h.id, points: h.points, patientPaid: h.paid })) });

describe("monthly pre-settlement (RULES.md §2)", () => {
  it("reproduces worked example A to the fen", () => {
    const s = month(yuan(60_000), [
      { id: "H1", points: 6_850_000, paid: yuan(23_500) },
      { id: "H2", points: 2_345_000, paid: yuan(5_700) },
    ]);
    expect(s.pool).toBe(8_920_000);
    expect(s.totalPointsText).toBe("919.5000");
    expect(s.pointValue?.yuanPerPoint).toBe("97.0092");
    expect(s.lines.map((l) => [l.hospitalId, l.share, l.fundPayment, l.deposit, l.paidNow])).toEqual([
      ["H1", 6_645_133, 4_295_133, 214_757, 4_080_376],
      ["H2", 2_274_867, 1_704_867, 85_243, 1_619_624],
    ]);
    expect(s.totals.fundPayment).toBe(yuan(60_000));
  });
  it("a fund payment can be negative (money due back) and then no deposit is withheld", () => {
    const s = month(yuan(100), [
      { id: "H1", points: 10_000, paid: yuan(1_000) },
      { id: "H2", points: 990_000, paid: 0 },
    ]);
    const h1 = s.lines[0]!;
    expect(h1.fundPayment).toBeLessThan(0);
    expect(h1.deposit).toBe(0);
    expect(h1.paidNow).toBe(h1.fundPayment);
    expect(s.totals.fundPayment).toBe(yuan(100));
  });
  it("zero total points: no point value, hospitals keep what patients paid, B_m stays unallocated", () => {
    const s = month(yuan(60_000), [{ id: "H1", points: 0, paid: yuan(10) }]);
    expect(s.pointValue).toBeNull();
    expect(s.unallocatedBudget).toBe(yuan(60_000));
    expect(s.lines[0]).toMatchObject({ share: yuan(10), fundPayment: 0, deposit: 0, paidNow: 0 });
    expect(month(yuan(5), []).unallocatedBudget).toBe(yuan(5));
  });
  it("a hospital with only low cases is paid by its (small) points like any other", () => {
    const s = month(yuan(1_000), [
      { id: "H1", points: 150_000, paid: yuan(500) }, // one low case, 15 points
      { id: "H2", points: 1_200_000, paid: yuan(3_000) },
    ]);
    expect(s.lines[0]!.share).toBe(Math.round((yuan(4_500) * 15) / 135));
  });
  it("conservation: Σ fund payments = B_m for every generated month", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e13 }),
        fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), points: fc.integer({ min: 0, max: 1e11 }), paid: fc.integer({ min: 0, max: 1e11 }) }), { minLength: 1, maxLength: 20, selector: (h) => h.id }),
        (budget, hospitals) => {
          fc.pre(hospitals.some((h) => h.points > 0));
          const s = month(budget, hospitals);
          expect(s.totals.fundPayment).toBe(budget);
          for (const l of s.lines) expect(l.deposit).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe("annual clearing (RULES.md §2)", () => {
  const clear = (score: number | null, paidMonthly: number) =>
    clearYear({ annualBudget: yuan(60_000), depositRate: w, depositReturnTiers: tiers, hospitals: [{ hospitalId: "H1", points: 10_000, patientPaid: 0, score, paidMonthly }] });
  it("returns the whole deposit at score 90 and keeps 10% of it at 89.99", () => {
    expect(clear(90, yuan(57_000)).lines[0]).toMatchObject({ entitlement: yuan(60_000), deduction: 0, clearingPayment: yuan(3_000) });
    expect(clear(89.99, yuan(57_000)).lines[0]).toMatchObject({ deduction: yuan(300), clearingPayment: yuan(2_700) });
  });
  it.each([
    [80, 300],
    [79, 600],
    [70, 600],
    [60, 1_200],
    [59.5, 3_000],
  ])("score %s keeps back %s yuan of a 3,000 yuan deposit", (score, kept) => {
    expect(clear(score, yuan(57_000)).lines[0]!.deduction).toBe(yuan(kept));
  });
  it("reproduces example A's month as a one-month year: clearing pays back exactly the deposit at score ≥ 90", () => {
    const c = clearYear({
      annualBudget: yuan(60_000),
      depositRate: w,
      depositReturnTiers: tiers,
      hospitals: [
        { hospitalId: "H1", points: 6_850_000, patientPaid: yuan(23_500), score: 95, paidMonthly: 4_080_376 },
        { hospitalId: "H2", points: 2_345_000, patientPaid: yuan(5_700), score: 85, paidMonthly: 1_619_624 },
      ],
    });
    expect(c.lines.map((l) => [l.entitlement, l.deduction, l.clearingPayment])).toEqual([
      [4_295_133, 0, 214_757],
      [1_704_867, 8_524, 85_243 - 8_524], // round(1,704,867 × 5% × 10%) = 8,524.335 → 8,524
    ]);
  });
  it("a missing score counts as 0 and is flagged", () => {
    expect(clear(null, 0).lines[0]).toMatchObject({ deduction: yuan(3_000), flags: ["no-score"] });
  });
});
