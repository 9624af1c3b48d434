import { describe, expect, it } from "vitest";
import { attributeSpending, claimFundValue } from "../../src/budgets/attribution";
import { elapsedMonthsOf } from "../../src/budgets/account-view";

const months = ["2026-01", "2026-02", "2026-03"];
const group = (hospitalId: string, month: string, totalCostFen: number, patientPaidFen = 0, claims = 1) => ({ hospitalId, month, claims, totalCostFen, patientPaidFen });

describe("attribution of covered people's claims (RULES.md §4)", () => {
  it("a claim's fund value is total cost minus what the patient paid", () => {
    expect(claimFundValue({ totalCostFen: 1_200_000, patientPaidFen: 300_000 })).toBe(900_000);
  });

  it("a member hospital's claim is internal, any other provider's is outflow", () => {
    const a = attributeSpending([group("H04", "2026-01", 1000, 100), group("H01", "2026-01", 500), group("H08", "2026-02", 300)], ["H04", "H08", "H09"], months);
    expect(a.internal).toBe(900 + 300);
    expect(a.outflow).toBe(500);
    expect(a.months).toEqual([
      { month: "2026-01", internal: 900, outflow: 500 },
      { month: "2026-02", internal: 300, outflow: 0 },
      { month: "2026-03", internal: 0, outflow: 0 },
    ]);
  });

  it("every member is listed even without claims; outflow destinations are sorted largest first", () => {
    const a = attributeSpending([group("H02", "2026-01", 100), group("H01", "2026-02", 700, 0, 3), group("H03", "2026-03", 100)], ["H04", "H08"], months);
    expect(a.byInternalHospital).toEqual([
      { hospitalId: "H04", claims: 0, fundValue: 0 },
      { hospitalId: "H08", claims: 0, fundValue: 0 },
    ]);
    expect(a.byOutflowHospital.map((h) => [h.hospitalId, h.fundValue, h.claims])).toEqual([
      ["H01", 700, 3],
      ["H02", 100, 1],
      ["H03", 100, 1],
    ]);
  });

  it("claims of months outside the window are not charged", () => {
    const a = attributeSpending([group("H04", "2026-04", 1000), group("H01", "2025-12", 1000)], ["H04"], months);
    expect(a.internal + a.outflow).toBe(0);
  });

  it("a month counts as elapsed from its first day", () => {
    expect(elapsedMonthsOf(2026, "2025-12-31")).toBe(0);
    expect(elapsedMonthsOf(2026, "2026-01-01")).toBe(1);
    expect(elapsedMonthsOf(2026, "2026-07-15")).toBe(7);
    expect(elapsedMonthsOf(2026, "2027-01-01")).toBe(12);
  });
});
