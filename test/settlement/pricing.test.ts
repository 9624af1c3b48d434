import { describe, expect, it } from "vitest";
import { defaultParameters } from "../../src/payment/parameters";
import { priceChunk, type ClaimRow } from "../../src/settlement/pricing";

const parameters = defaultParameters({ year: 2026, monthlyDrgBudget: 1_000_000 });
const weights = { version: "t", avgAllCost: 1_000_000, drgs: [{ drg: "EW15", adrg: "EW1", rw: 12_000, avgCost: 1_200_000 }] };
const hospitals = new Map([["H1", "tertiary" as const]]);

let nextId = 1;
function row(o: Partial<ClaimRow>): ClaimRow {
  return {
    id: nextId++,
    claimId: `c${nextId}`,
    hospitalId: "H1",
    personId: "P1",
    wardCategory: "acute",
    admissionDate: "2026-10-10",
    dischargeDate: "2026-10-15",
    periodStart: null,
    periodEnd: null,
    adrg: "EW1",
    drg: "EW15",
    mdc: "MDCE",
    totalCostFen: 1_200_000,
    patientPaidFen: 300_000,
    plannedReadmission: false,
    settlementMonth: "2026-10",
    ...o,
  };
}

describe("pricing a chunk of a month", () => {
  it("a readmission within the month halves the earlier stay in place (RULES.md §1)", () => {
    const out = priceChunk({ period: "2026-10", parameters, weights, hospitals, context: [], claims: [row({ admissionDate: "2026-10-01", dischargeDate: "2026-10-05" }), row({ admissionDate: "2026-10-12", dischargeDate: "2026-10-16" })] });
    expect(out.map((r) => [r.paymentClass, r.points, r.flags])).toEqual([
      ["normal", 600_000, ["readmission"]],
      ["normal", 1_200_000, []],
    ]);
  });

  it("a readmission of a stay settled last month reaches this month as an adjustment of minus half its points", () => {
    const earlier = row({ admissionDate: "2026-09-20", dischargeDate: "2026-09-25", settlementMonth: "2026-09" });
    const later = row({ admissionDate: "2026-10-02", dischargeDate: "2026-10-06" });
    const out = priceChunk({ period: "2026-10", parameters, weights, hospitals, context: [earlier], claims: [later] });
    expect(out.map((r) => [r.claimRowId, r.paymentClass, r.points])).toEqual([
      [earlier.id, "adjustment", -600_000],
      [later.id, "normal", 1_200_000],
    ]);
  });

  it("a planned readmission is not halved; an interim acute claim waits for discharge; per-diem wards are paid per bed day", () => {
    const out = priceChunk({
      period: "2026-10",
      parameters,
      weights,
      hospitals,
      context: [],
      claims: [
        row({ admissionDate: "2026-10-01", dischargeDate: "2026-10-05" }),
        row({ admissionDate: "2026-10-12", dischargeDate: "2026-10-16", plannedReadmission: true }),
        row({ personId: "P2", dischargeDate: null, periodStart: "2026-10-01", periodEnd: "2026-10-31", admissionDate: "2026-09-20" }),
        row({ personId: "P3", wardCategory: "psychiatric", drg: "TR19", adrg: "TR1", admissionDate: "2026-08-20", dischargeDate: null, periodStart: "2026-10-01", periodEnd: "2026-10-31", patientPaidFen: 82_900 }),
      ],
    });
    expect(out.map((r) => [r.paymentClass, r.points, r.amountFen, r.flags])).toEqual([
      ["normal", 1_200_000, 0, []],
      ["normal", 1_200_000, 0, []],
      ["review", 0, 0, ["review", "interim-not-per-diem"]],
      // RULES.md example B: ordinals 43–73, standard 8,290.00 yuan.
      ["per-diem", 0, 829_000, []],
    ]);
  });
});
