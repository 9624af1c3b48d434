import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyEpisodeDecisions, reviewCap } from "../../src/payment/case-decisions.js";
import { PaymentRuleError, parseRegionYearParameters, priceEpisode, simulate, type DrgEpisode, type Scenario, type SimulationResult } from "../../src/payment/index.js";
import { screenLowStandardAdmission, screenSeverityShare, screenSplitStays, screenUpcodingSeverity, type ScreenEpisode } from "../../src/payment/supervision-screens.js";
import { params, yuan } from "./builders.js";

const root = new URL("../../", import.meta.url);
const fixture = (x: string): Scenario => JSON.parse(readFileSync(new URL(`fixtures/scenarios/${x}.json`, root), "utf8"));
const cli = (x: string): SimulationResult =>
  JSON.parse(execFileSync("npx", ["tsx", "scripts/simulate.ts", `fixtures/scenarios/${x}.json`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));

const lines = (r: SimulationResult) => r.months[0]!.lines.map((l) => [l.hospitalId, l.pointsText, l.share, l.fundPayment, l.deposit, l.paidNow]);

function checkE(r: SimulationResult) {
  expect(r.reviews.map((v) => [v.episodeId, v.status, v.cap])).toEqual([
    ["e2", "accepted", 1],
    ["e3", "refused", 1],
  ]);
  expect(r.reviews[1]!.reason).toMatch(/cap reached: 1 of 1/);
  expect(r.episodes.find((e) => e.episodeId === "e2")!.pointsText).toBe("700.0000");
  expect(r.episodes.find((e) => e.episodeId === "e3")!.pointsText).toBe("15.0000");
  const m = r.months[0]!;
  expect([m.totalPointsText, m.pool]).toEqual(["1069.5000", 8_920_000]);
  expect(lines(r)).toEqual([
    ["H1", "835.0000", 6_964_189, 4_614_189, 230_709, 4_383_480],
    ["H2", "234.5000", 1_955_811, 1_385_811, 69_291, 1_316_520],
  ]);
  expect(m.totals.fundPayment).toBe(6_000_000);
}

function checkF(r: SimulationResult) {
  expect(r.episodes.find((e) => e.episodeId === "e5")!.pointsText).toBe("0.0000");
  expect(r.deductions.map((d) => [d.episodeId, d.hospitalId, d.kind, d.pointsText])).toEqual([["e5", "H2", "split-stay", "50.0000"]]);
  const m = r.months[0]!;
  expect(m.totalPointsText).toBe("827.0000");
  expect(lines(r)).toEqual([
    ["H1", "685.0000", 7_388_392, 5_038_392, 251_920, 4_786_472],
    ["H2", "142.0000", 1_531_608, 961_608, 48_080, 913_528],
  ]);
  expect(m.totals.fundPayment).toBe(6_000_000);
}

describe("worked examples E and F reproduce to the fen (RULES.md §7, §8)", () => {
  it("example E through the library", () => checkE(simulate(fixture("example-e"))));
  it("example E through the simulate CLI", () => checkE(cli("example-e")), 30_000);
  it("example F through the library", () => checkF(simulate(fixture("example-f"))));
  it("example F through the simulate CLI", () => checkF(cli("example-f")), 30_000);
});

const P = params();
const weights = {
  avgAllCost: yuan(10_000),
  drgs: [
    { drg: "A", adrg: "A", rw: 12_000, avgCost: yuan(12_000) },
    { drg: "B", adrg: "B", rw: 5_000, avgCost: yuan(5_000) },
    { drg: "C", adrg: "C", rw: 25_000, avgCost: yuan(25_000) },
    { drg: "XA11", adrg: "XA1", rw: 20_000, avgCost: yuan(20_000) },
    { drg: "XA15", adrg: "XA1", rw: 10_000, avgCost: yuan(10_000) },
  ],
};
const ep = (over: Partial<DrgEpisode> = {}): DrgEpisode => ({ id: "x", hospitalId: "H1", drg: "B", admissionDate: "2026-10-01", dischargeDate: "2026-10-05", totalCost: yuan(5_000), patientPaid: 0, ...over });
const ctx = (level: "tertiary" | "secondary" = "tertiary") => ({ parameters: P, weights, hospital: { id: "H1", level } });
const decide = (e: DrgEpisode, d: Parameters<typeof applyEpisodeDecisions>[2], level: "tertiary" | "secondary" = "tertiary") => applyEpisodeDecisions(e, priceEpisode(e, ctx(level)), d, ctx(level));

describe("§7 special-case review", () => {
  it("the cap is max(reviewMinPerMonth, floor(reviewCapShare × n))", () => {
    expect([0, 3, 19, 20, 39, 40, 100].map((n) => reviewCap(n, P))).toEqual([1, 1, 1, 1, 1, 2, 5]);
    expect(reviewCap(10, { ...P, supervision: { ...P.supervision, reviewMinPerMonth: 0 } })).toBe(0);
  });
  it("an ungroupable episode's reviewed points are A / avgAll × 100", () => {
    const d = decide(ep({ drg: "0000", totalCost: yuan(9_000) }), { review: { approvedFen: yuan(4_500) } });
    expect(d.priced.pointsText).toBe("45.0000");
    expect(d.priced.flags).toContain("reviewed");
  });
  it("A outside 0 … totalCost is refused naming the field", () => {
    expect(() => decide(ep(), { review: { approvedFen: yuan(5_001) } })).toThrow(PaymentRuleError);
    try {
      decide(ep(), { review: { approvedFen: -1 } });
    } catch (e) {
      expect((e as PaymentRuleError).field).toBe("approvedFen");
    }
  });
  it("a grouped episode at a secondary hospital: base × k + A / avgAll × 100, rounded once", () => {
    // 50 × 0.85 + 333.33 / 10,000 × 100 = 42.5 + 3.3333 = 45.8333
    expect(decide(ep(), { review: { approvedFen: 33_333 } }, "secondary").priced.pointsText).toBe("45.8333");
  });
});

describe("§8 confirmed violations: each kind of the table", () => {
  it("split-stay not serious: 0 points, no deduction; bed-occupying serious: 1 × base", () => {
    expect([decide(ep(), { violation: { kind: "split-stay" } })].map((d) => [d.priced.pointsText, d.deductionText])).toEqual([["0.0000", "0.0000"]]);
    expect([decide(ep(), { violation: { kind: "bed-occupying", serious: true } })].map((d) => [d.priced.pointsText, d.deductionText])).toEqual([["0.0000", "50.0000"]]);
  });
  it("upcoding: §1 points at the corrected DRG, deduction 2 × (original − corrected)", () => {
    const d = decide(ep({ drg: "XA11", adrg: "XA1", totalCost: yuan(20_000) }), { violation: { kind: "upcoding", correctedDrg: "XA15" } });
    expect([d.classPoints, d.priced.pointsText, d.deductionText]).toEqual([2_000_000, "100.0000", "200.0000"]);
    expect(() => decide(ep(), { violation: { kind: "upcoding" } })).toThrow(/corrected DRG/);
  });
  it("cost-shifting keeps the points and deducts 2 × base; fraud: 0 points and 5 × base", () => {
    expect([decide(ep(), { violation: { kind: "cost-shifting" } })].map((d) => [d.priced.pointsText, d.deductionText])).toEqual([["50.0000", "100.0000"]]);
    expect([decide(ep(), { violation: { kind: "fraud" } })].map((d) => [d.priced.pointsText, d.deductionText])).toEqual([["0.0000", "250.0000"]]);
  });
  it("kinds and multipliers are parameters, validated like the others", () => {
    const custom = parseRegionYearParameters({ ...P, supervision: { ...P.supervision, violationKinds: { ...P.supervision.violationKinds, fraud: { episode: "zero", deduction: "base", multiplier: 80_000 } } } });
    const d = applyEpisodeDecisions(ep(), priceEpisode(ep(), { ...ctx(), parameters: custom }), { violation: { kind: "fraud" } }, { ...ctx(), parameters: custom });
    expect(d.deductionText).toBe("400.0000");
    expect(() => parseRegionYearParameters({ ...P, supervision: { ...P.supervision, lowCostShare: -1 } })).toThrow(/parameters\.supervision\.lowCostShare/);
    expect(() => parseRegionYearParameters({ ...P, supervision: { ...P.supervision, violationKinds: { x: { episode: "halve", deduction: "base", multiplier: 1 } } } })).toThrow(/violationKinds\.x\.episode/);
    expect(() => decide(ep(), { violation: { kind: "no-such-kind" } })).toThrow(/not a violation kind/);
  });
  it("a parameter set stored before §7/§8 takes the RULES.md defaults", () => {
    const { supervision: _, ...old } = P;
    expect(parseRegionYearParameters(old).supervision).toEqual(P.supervision);
  });
});

const se = (over: Partial<ScreenEpisode>): ScreenEpisode => ({ claimId: "c", hospitalId: "H1", personId: "P1", admissionDate: "2026-10-01", dischargeDate: "2026-10-05", losDays: 4, totalCost: yuan(5_000), procedures: [], planned: false, adrg: "B", drg: "B", month: "2026-10", ...over });

describe("§8 screens", () => {
  it("split-stay flags the later stay within R days whatever the ADRG, names the other stay; planned stays and gaps > R pass", () => {
    const flags = screenSplitStays(
      [
        se({ claimId: "s1", dischargeDate: "2026-10-05" }),
        se({ claimId: "s2", admissionDate: "2026-10-20", dischargeDate: "2026-10-22", adrg: "A", drg: "A" }),
        se({ claimId: "s3", admissionDate: "2026-10-25", dischargeDate: "2026-10-27", planned: true }),
        se({ claimId: "s4", personId: "P2", admissionDate: "2026-10-21" }),
        se({ claimId: "s5", personId: "P2", hospitalId: "H2", admissionDate: "2026-10-22" }),
      ],
      P.supervision,
    );
    expect(flags.map((f) => [f.claimId, f.evidence["otherClaimId"], f.evidence["gapDays"], f.evidence["sameAdrg"]])).toEqual([["s2", "s1", 15, false]]);
    expect(flags[0]!.parameters).toEqual({ splitStayDays: 15 });
  });
  it("low-standard-admission: LOS ≤ 2, no procedure, cost < 0.3 × avg_d", () => {
    const w = weights.drgs[1]!;
    expect(screenLowStandardAdmission(se({ losDays: 2, totalCost: yuan(1_499) }), w, P.supervision)?.evidence).toMatchObject({ losDays: 2, avgCostFen: yuan(5_000), costShare: "0.2998" });
    expect(screenLowStandardAdmission(se({ losDays: 2, totalCost: yuan(1_500) }), w, P.supervision)).toBeNull();
    expect(screenLowStandardAdmission(se({ losDays: 3, totalCost: yuan(100) }), w, P.supervision)).toBeNull();
    expect(screenLowStandardAdmission(se({ losDays: 1, totalCost: yuan(100), procedures: ["47.0100"] }), w, P.supervision)).toBeNull();
  });
  it("upcoding-severity regroups without the deciding secondary and names it and the lower DRG", () => {
    const index = new Map(weights.drgs.map((d) => [d.drg, d]));
    const regroup = (dx: readonly string[]) => (dx.includes("J96.000") ? { drg: "XA11", adrg: "XA1" } : { drg: "XA15", adrg: "XA1" });
    const e = se({ drg: "XA11", adrg: "XA1" });
    const flag = screenUpcodingSeverity(e, { secondaryDx: ["J96.000", "K29.700"], counted: [{ code: "J96.000", level: "MCC" }] }, regroup, (d) => index.get(d), P.supervision);
    expect(flag?.evidence).toEqual({ drg: "XA11", rw: 20_000, decidingDx: "J96.000", decidingLevel: "MCC", lowerDrg: "XA15", lowerRw: 10_000 });
    expect(screenUpcodingSeverity(se({ drg: "XA15" }), { secondaryDx: [], counted: [] }, regroup, (d) => index.get(d), P.supervision)).toBeNull();
    // Two MCCs: without one the other still decides, so nothing is flagged.
    const both = (dx: readonly string[]) => ({ drg: dx.length > 0 ? "XA11" : "XA15", adrg: "XA1" });
    expect(screenUpcodingSeverity(e, { secondaryDx: ["J96.000", "I50.000"], counted: [{ code: "J96.000", level: "MCC" }, { code: "I50.000", level: "MCC" }] }, both, (d) => index.get(d), P.supervision)).toBeNull();
  });
  it("severity-share: a hospital's share of suffix-1/3 episodes ≥ 1.5 × the region's with ≥ 20 episodes", () => {
    const many = (hospitalId: string, n: number, severe: number) =>
      Array.from({ length: n }, (_, i) => se({ claimId: `${hospitalId}-${i}`, hospitalId, adrg: "XA1", drg: i < severe ? "XA11" : "XA15" }));
    const flags = screenSeverityShare([...many("H1", 20, 10), ...many("H2", 40, 5), ...many("H3", 19, 19)], "2026-10", P.supervision);
    // region: 34 / 79 = 0.4304; H1 0.5 < 0.6456; H3 has only 19 episodes.
    expect(flags).toEqual([]);
    const flagged = screenSeverityShare([...many("H1", 20, 16), ...many("H2", 40, 4)], "2026-10", P.supervision);
    expect(flagged.map((f) => [f.hospitalId, f.evidence["hospitalShare"], f.evidence["regionShare"]])).toEqual([["H1", "0.8000", "0.3333"]]);
  });
});
