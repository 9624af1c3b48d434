import { describe, expect, it } from "vitest";
import { pricePerDiemClaim, perDiemClaimSchema, type PerDiemClaim } from "../../src/payment/per-diem.js";
import { parseRegionYearParameters } from "../../src/payment/parameters.js";
import { params, yuan } from "./builders.js";

const p = params();
const claim = (fields: Partial<PerDiemClaim>): PerDiemClaim => ({ id: "c1", hospitalId: "H1", wardCategory: "psychiatric", admissionDate: "2026-08-20", patientPaid: 0, ...fields });

describe("per-bed-day payment (RULES.md §3)", () => {
  it("reproduces worked example B: psychiatric interim claim for October, ordinals 43–73", () => {
    const c = pricePerDiemClaim(claim({ periodStart: "2026-10-01", periodEnd: "2026-10-31", patientPaid: yuan(829) }), p);
    expect([c.fromOrdinal, c.toOrdinal, c.countedDays]).toEqual([43, 73, 31]);
    expect(c.lines).toEqual([
      { fromDay: 43, toDay: 60, days: 18, rate: yuan(280), amount: yuan(5_040) },
      { fromDay: 61, toDay: 73, days: 13, rate: yuan(250), amount: yuan(3_250) },
    ]);
    expect(c.standard).toBe(829_000);
    expect(c.fundPayment).toBe(yuan(7_461));
  });
  it("a stay crossing a segment boundary on the 1st of a month is paid at both rates", () => {
    // admitted 2026-09-02 → 2026-10-31 is day 60, 2026-11-01 is day 61
    const oct = pricePerDiemClaim(claim({ admissionDate: "2026-09-02", periodStart: "2026-10-01", periodEnd: "2026-10-31" }), p);
    expect(oct.toOrdinal).toBe(60);
    expect(oct.lines).toHaveLength(1);
    const nov = pricePerDiemClaim(claim({ admissionDate: "2026-09-02", periodStart: "2026-11-01", periodEnd: "2026-11-30" }), p);
    expect(nov.lines).toEqual([{ fromDay: 61, toDay: 90, days: 30, rate: yuan(250), amount: yuan(7_500) }]);
    const whole = pricePerDiemClaim(claim({ admissionDate: "2026-10-31", periodStart: "2026-10-31", periodEnd: "2026-11-01", wardCategory: "rehabilitation" }), p);
    expect(whole.standard).toBe(yuan(1_040));
  });
  it("midnight census: a final claim counts admission up to the day before discharge; a same-day stay counts 1 day", () => {
    expect(pricePerDiemClaim(claim({ admissionDate: "2026-10-01", dischargeDate: "2026-10-04" }), p).countedDays).toBe(3);
    const sameDay = pricePerDiemClaim(claim({ admissionDate: "2026-10-01", dischargeDate: "2026-10-01" }), p);
    expect([sameDay.countedDays, sameDay.standard]).toEqual([1, yuan(280)]);
  });
  it("a final claim after interim ones counts from periodStart to the day before discharge, ordinals from admission", () => {
    const c = pricePerDiemClaim(claim({ admissionDate: "2026-08-20", periodStart: "2026-11-01", dischargeDate: "2026-11-05" }), p);
    expect([c.fromOrdinal, c.toOrdinal, c.standard]).toEqual([74, 77, 4 * yuan(250)]);
  });
  it("rehabilitation beyond day 90 is not payable and flags over-cap", () => {
    const c = pricePerDiemClaim(claim({ wardCategory: "rehabilitation", admissionDate: "2026-01-01", periodStart: "2026-03-01", periodEnd: "2026-04-10" }), p);
    // 2026-03-01 is day 60, 2026-04-10 is day 100
    expect(c.lines.map((l) => [l.fromDay, l.toDay])).toEqual([[60, 60], [61, 90]]);
    expect(c.overCapDays).toBe(10);
    expect(c.flags).toEqual(["over-cap"]);
    expect(c.standard).toBe(yuan(460 + 30 * 400));
  });
  it("fund payment can be negative when the patient paid more than the standard", () => {
    expect(pricePerDiemClaim(claim({ dischargeDate: "2026-08-21", patientPaid: yuan(300) }), p).fundPayment).toBe(yuan(-20));
  });
  it("an acute ward claim without a table is rejected unless its DRG is flagged per-diem", () => {
    expect(() => pricePerDiemClaim(claim({ wardCategory: "acute", dischargeDate: "2026-08-21" }), p)).toThrow(/wardCategory: no per-diem rate table/);
    const c = pricePerDiemClaim(claim({ wardCategory: "acute", drg: "R1", dischargeDate: "2026-08-21" }), p, () => "palliative");
    expect(c.rateTable).toBe("palliative");
  });
  it("a claim needs an interim period or a discharge date", () => {
    expect(perDiemClaimSchema.safeParse(claim({})).success).toBe(false);
  });
});

describe("per-diem parameters are validated (RULES.md §3)", () => {
  const bad = (mutate: (x: ReturnType<typeof params>) => void) => () => parseRegionYearParameters(params(mutate));
  it("overlapping segments are rejected naming the field", () => {
    expect(bad((x) => (x.perDiem.psychiatric![1]!.fromDay = 50))).toThrow(/parameters\.perDiem\.psychiatric\[1\]\.fromDay: segment overlaps/);
  });
  it("a gap between segments is rejected", () => {
    expect(bad((x) => (x.perDiem.rehabilitation![2]!.fromDay = 62))).toThrow(/parameters\.perDiem\.rehabilitation\[2\]\.fromDay: segment leaves a gap/);
  });
  it("a negative rate is rejected", () => {
    expect(bad((x) => (x.perDiem.palliative![0]!.rate = -1))).toThrow(/parameters\.perDiem\.palliative\[0\]\.rate/);
  });
  it("segments must start at day 1 and only the last may be open", () => {
    expect(bad((x) => (x.perDiem.palliative![0]!.fromDay = 2))).toThrow(/palliative\[0\]\.fromDay: the first segment must start at day 1/);
    expect(bad((x) => (x.perDiem.palliative![0]!.toDay = null))).toThrow(/palliative\[0\]\.toDay: only the last segment/);
  });
});
