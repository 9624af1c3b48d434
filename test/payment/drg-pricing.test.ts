import { describe, expect, it } from "vitest";
import { priceEpisode } from "../../src/payment/drg-pricing.js";
import { applyReadmissionRule } from "../../src/payment/readmission.js";
import { formatPoints } from "../../src/payment/points.js";
import { episode, exampleWeights, hospital, params } from "./builders.js";

const p = params();
const weights = exampleWeights();
const H1 = hospital("H1", "tertiary");
const H2 = hospital("H2", "secondary");
const price = (e: ReturnType<typeof episode>, h = H1, pp = p) => priceEpisode(e, { parameters: pp, weights, hospital: h });

describe("DRG episode pricing (RULES.md §1), worked example A", () => {
  it.each([
    ["e1", H1, "A", 12_000, "normal", "120.0000", "1.0000"],
    ["e2", H1, "C", 80_000, "high", "550.0000", "3.2000"],
    ["e3", H1, "B", 1_500, "low", "15.0000", "0.3000"],
    ["e4", H2, "A", 10_000, "normal", "102.0000", "0.8333"],
    ["e5", H2, "B", 6_000, "normal", "42.5000", "1.2000"],
  ] as const)("%s prices as %s", (id, h, drg, cost, cls, points, r) => {
    const priced = price(episode({ id, drg, cost, hospitalId: h.id }), h);
    expect(priced.class).toBe(cls);
    expect(priced.pointsText).toBe(points);
    expect(priced.explanation.r).toBe(r);
  });
  it("an ungroupable QY case is priced on avgAll without k and flagged for review", () => {
    const priced = price(episode({ id: "e6", drg: "QY", cost: 9_000, hospitalId: "H2" }), H2);
    expect(priced.class).toBe("ungroupable");
    expect(priced.pointsText).toBe("90.0000");
    expect(priced.flags).toContain("review");
    expect(price(episode({ drg: "0000", cost: 5_000 })).class).toBe("ungroupable");
    expect(price(episode({ drg: "FQY9", adrg: "FQY", cost: 5_000 })).class).toBe("ungroupable");
  });
  it("explains a high case with RW, base, r, H and k", () => {
    const e = price(episode({ drg: "C", cost: 80_000 }));
    expect(e.explanation).toMatchObject({ rw: "2.5000", base: "250.0000", r: "3.2000", h: "2.0000", k: "1.0000" });
    expect(e.explanation.formula).toContain("550.0000");
  });
  it("H depends on the RW band: RW exactly 1 uses 3.0, RW just above 2 uses 2.0", () => {
    const pp = params();
    const w = { avgAllCost: 100, drgs: [{ drg: "X", rw: 10_000, avgCost: 10_000 }, { drg: "Y", rw: 20_001, avgCost: 10_000 }] };
    const at = (drg: string, cost: number) => priceEpisode({ ...episode({ drg, cost: 0 }), totalCost: cost }, { parameters: pp, weights: w, hospital: H1 });
    expect(at("X", 30_000).class).toBe("normal"); // r = 3.0 is not > 3.0
    expect(at("X", 30_001).class).toBe("high");
    expect(at("Y", 20_001).class).toBe("high"); // r = 2.0001 > 2.0
  });
  it("r exactly L is normal, just below is low", () => {
    expect(price(episode({ drg: "B", cost: 2_000 })).class).toBe("normal");
    expect(price(episode({ drg: "B", cost: 1_999.99 })).class).toBe("low");
  });
  it("a per-hospital coefficient overrides the level default", () => {
    const pp = params((x) => (x.drg.hospitalCoefficients.H2 = 9_000));
    expect(price(episode({ drg: "A", cost: 12_000, hospitalId: "H2" }), H2, pp).pointsText).toBe("108.0000");
  });
  it("an episode in a ward with a per-diem table, or of a DRG flagged per-diem, has no points", () => {
    expect(price(episode({ drg: "A", cost: 12_000, wardCategory: "psychiatric" })).class).toBe("per-diem");
    const w = { ...weights, drgs: [...weights.drgs, { drg: "R", rw: 10_000, avgCost: 100, perDiem: "rehabilitation" as const }] };
    expect(priceEpisode(episode({ drg: "R", cost: 1 }), { parameters: p, weights: w, hospital: H1 }).class).toBe("per-diem");
  });
  it("an unknown DRG is a typed error naming the field", () => {
    expect(() => price(episode({ drg: "ZZ", cost: 1 }))).toThrow(/drg: DRG "ZZ" is not in the weight table/);
  });
  it("points are rounded half away from zero to 4 places", () => {
    // base 100, avg 2,000,000 fen, low case: points = 100 × c / 2,000,000 = c / 20,000
    const w = { avgAllCost: 100, drgs: [{ drg: "X", rw: 10_000, avgCost: 2_000_000 }] };
    const at = (fen: number) => priceEpisode({ ...episode({ drg: "X", cost: 0 }), totalCost: fen }, { parameters: p, weights: w, hospital: H1 });
    expect(at(1).pointsText).toBe("0.0001"); // 0.00005
    expect(at(3).pointsText).toBe("0.0002"); // 0.00015
    expect(at(2).pointsText).toBe("0.0001");
  });
});

describe("readmission within R days (RULES.md §1)", () => {
  const stay = (id: string, adm: string, dis: string, extra: Partial<ReturnType<typeof episode>> = {}) =>
    episode({ id, drg: "A", cost: 12_000, personId: "P1", adrg: "AA", admissionDate: adm, dischargeDate: dis, ...extra });
  const run = (eps: ReturnType<typeof episode>[], pp = p) => applyReadmissionRule(eps, eps.map((e) => price(e, H1, pp)), pp);

  it("halves the earlier stay by default when readmitted within 15 days, same month", () => {
    const r = run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-20", "2026-10-25")]);
    expect(r.episodes.map((e) => e.finalPointsText)).toEqual(["60.0000", "120.0000"]);
    expect(r.episodes[0]!.flags).toContain("readmission");
    expect(r.episodes[0]!.settlementPoints).toBe(600_000);
    expect(r.adjustments).toEqual([]);
  });
  it("day 15 after discharge is within the window, day 16 is not", () => {
    expect(run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-20", "2026-10-22")]).episodes[0]!.finalPointsText).toBe("60.0000");
    expect(run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-21", "2026-10-22")]).episodes[0]!.finalPointsText).toBe("120.0000");
  });
  it("a planned readmission is exempt", () => {
    expect(run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-10", "2026-10-12", { planned: true })]).episodes[0]!.readmission).toBeNull();
  });
  it("a different ADRG, hospital or person is not a readmission", () => {
    expect(run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-10", "2026-10-12", { drg: "B", adrg: "BB" })]).episodes[0]!.readmission).toBeNull();
    expect(run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-10", "2026-10-12", { personId: "P2" })]).episodes[0]!.readmission).toBeNull();
    expect(run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-10", "2026-10-12", { hospitalId: "H9" })]).episodes[0]!.readmission).toBeNull();
  });
  it("with which = later the later stay is halved", () => {
    const pp = params((x) => (x.drg.readmission.which = "later"));
    const r = run([stay("a", "2026-10-01", "2026-10-05"), stay("b", "2026-10-10", "2026-10-12")], pp);
    expect(r.episodes.map((e) => e.finalPointsText)).toEqual(["120.0000", "60.0000"]);
  });
  it("when the earlier stay's month is settled, the later month carries minus half its points", () => {
    const r = run([stay("a", "2026-09-20", "2026-09-28"), stay("b", "2026-10-05", "2026-10-08")]);
    const earlier = r.episodes[0]!;
    expect(earlier.settlementPoints).toBe(1_200_000); // September stays as settled
    expect(earlier.finalPoints).toBe(600_000); // the annual clearing halves directly
    expect(r.adjustments).toHaveLength(1);
    expect(r.adjustments[0]).toMatchObject({ hospitalId: "H1", month: "2026-10", points: -600_000, episodeId: "a" });
    expect(formatPoints(r.adjustments[0]!.points)).toBe("-60.0000");
  });
});
