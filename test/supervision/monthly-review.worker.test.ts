import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { claim, ndjson, NDJSON, type Report } from "../settlement/claims";
import { EXA, exampleAClaims, seedExampleRegion, settle, type RunBody } from "../settlement/support";

/*
 * The agency's monthly review (RULES.md §7, §8, issue 17) through the API and real Workflow runs on real D1:
 * example E (a review) in 2026-10, example F (a violation) in 2026-11, a review decided after October's approval
 * carried into November, an appeal reversal after November's approval carried into December, and the screens.
 */
const yuan = (y: number) => y * 100;
interface Statement {
  hospitalId: string;
  points: string;
  pointsByClass: Record<string, string>;
  drgShareFen: number;
  drgPaymentFen: number;
  depositFen: number;
  netPayableFen: number;
  flags: Record<string, number>;
}
interface Review {
  id: string;
  status: string;
  claimId: string;
}

const json = async <T>(res: Response, status: number): Promise<T> => {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
};
const statements = async (run: RunBody) => (await json<{ statements: Statement[] }>(await call("GET", `/v1/settlements/${run.id}/statements`, { key: EXA.keys.agency }), 200)).statements;
const money = (s: Statement[]) => s.map((l) => [l.hospitalId, l.points, l.drgShareFen, l.drgPaymentFen, l.depositFen, l.netPayableFen]);
const upload = async (lines: unknown[]) => {
  const r = await json<Report>(await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson(lines), headers: NDJSON }), 200);
  expect(r.counts.rejected, JSON.stringify(r.rejected)).toBe(0);
};
const inMonth = (prefix: string, month: string) =>
  exampleAClaims(prefix).map((c, i) => ({ ...c, personId: `${prefix.toUpperCase()}${i + 1}`, admissionDate: `${month}-03`, dischargeDate: `${month}-09` }));

let october: RunBody;
let november: RunBody;

beforeAll(async () => {
  await withDemoRegion();
  await seedExampleRegion();
  await env.DB.prepare(
    `UPDATE parameter_sets SET params = json_set(params, '$.drg.monthlyBudgets."2026-11"', 6000000, '$.drg.monthlyBudgets."2026-12"', 6000000) WHERE region_id = 'exa'`,
  ).run();
  // Severity splits of pneumonia (demo grouper: J96.000 is an MCC → EW11, I50.000 a CC → EW13) for the upcoding screen.
  await env.DB.prepare(
    "INSERT INTO drg_weights (region_id, year, drg, rw, avg_cost_fen, avg_los_tenths, adrg) VALUES ('exa', 2026, 'EW11', 20000, 2000000, 90, 'EW1'), ('exa', 2026, 'EW13', 15000, 1500000, 85, 'EW1')",
  ).run();
  await upload(exampleAClaims("r"));
  await upload(inMonth("f", "2026-11"));
});

describe("§7 special-case review: example E through the API and a Workflow run", () => {
  let r2: Review;
  it("a hospital requests review of its own DRG episode; another hospital's is not found; consortium and agency keys cannot request", async () => {
    r2 = await json<Review>(await call("POST", "/v1/reviews", { key: EXA.keys.h1, json: { claimId: "r2", reason: "ICU stay of 9 days", claimedFen: yuan(50_000) } }), 201);
    expect(r2.status).toBe("open");
    await expectProblem(await call("POST", "/v1/reviews", { key: EXA.keys.h1, json: { claimId: "r4", reason: "not mine", claimedFen: 1 } }), 404);
    await expectProblem(await call("POST", "/v1/reviews", { key: EXA.keys.agency, json: { claimId: "r2", reason: "x", claimedFen: 1 } }), 403);
    // One open or accepted request per episode.
    await expectProblem(await call("POST", "/v1/reviews", { key: EXA.keys.h1, json: { claimId: "r2", reason: "again", claimedFen: 1 } }), 409);
    const own = await json<{ reviews: Review[] }>(await call("GET", "/v1/reviews?month=2026-10", { key: EXA.keys.h2 }), 200);
    expect(own.reviews).toEqual([]);
    await expectProblem(await call("GET", `/v1/reviews/${r2.id}`, { key: EXA.keys.h2 }), 404);
  });

  it("the agency accepts e2 with A = 45,000.00; A above the total cost is 422; a hospital never decides", async () => {
    await expectProblem(await call("POST", `/v1/reviews/${r2.id}/decision`, { key: EXA.keys.h1, json: { decision: "accept", approvedFen: 1, reason: "self" } }), 403);
    await expectProblem(await call("POST", `/v1/reviews/${r2.id}/decision`, { key: EXA.keys.agency, json: { decision: "accept", approvedFen: yuan(80_001), reason: "too much" } }), 422);
    await expectProblem(await call("POST", `/v1/reviews/${r2.id}/decision`, { key: EXA.keys.agency, json: { decision: "accept", approvedFen: yuan(45_000) } }), 400);
    const accepted = await json<Review & { approvedFen: number }>(await call("POST", `/v1/reviews/${r2.id}/decision`, { key: EXA.keys.agency, json: { decision: "accept", approvedFen: yuan(45_000), reason: "new technology, documented" } }), 200);
    expect([accepted.status, accepted.approvedFen]).toEqual(["accepted", 4_500_000]);
  });

  it("a second H1 request of the month is refused at the cap: 409 naming the cap and the count, recorded refused", async () => {
    const r3 = await json<Review>(await call("POST", "/v1/reviews", { key: EXA.keys.h1, json: { claimId: "r3", reason: "second", claimedFen: yuan(500) } }), 201);
    const res = await call("POST", `/v1/reviews/${r3.id}/decision`, { key: EXA.keys.agency, json: { decision: "accept", approvedFen: yuan(500), reason: "ok" } });
    const problem = await json<{ detail: string }>(res, 409);
    expect(problem.detail).toMatch(/cap reached: 1 of 1 reviews already accepted for EA1 in 2026-10/);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    const read = await json<Review & { decisionReason: string }>(await call("GET", `/v1/reviews/${r3.id}`, { key: EXA.keys.h1 }), 200);
    expect(read.status).toBe("refused");
    expect(read.decisionReason).toMatch(/cap reached/);
  });

  it("the run prices e2 at 700.0000 and reproduces example E to the fen; it lists the decision it applied", async () => {
    october = await settle(EXA.keys.agency, EXA.regionId, "2026-10");
    expect(october.status, october.error ?? "").toBe("completed");
    expect(october.totals).toMatchObject({ totalPoints: "1069.5000", poolFen: 8_920_000 });
    const s = await statements(october);
    expect(money(s)).toEqual([
      ["EA1", "835.0000", 6_964_189, 4_614_189, 230_709, 4_383_480],
      ["EA2", "234.5000", 1_955_811, 1_385_811, 69_291, 1_316_520],
    ]);
    expect(s[0]!.pointsByClass).toEqual({ normal: "120.0000", reviewed: "700.0000", low: "15.0000" });
    expect(s[0]!.flags).toMatchObject({ reviewed: 1 });
    const applied = await json<{ decisions: { claimId: string; mode: string; pointsDelta: string }[] }>(await call("GET", `/v1/settlements/${october.id}/decisions`, { key: EXA.keys.agency }), 200);
    expect(applied.decisions.map((d) => [d.claimId, d.mode, d.pointsDelta])).toEqual([["r2", "in-month", "150.0000"]]);
    expect((await json<{ decisions: unknown[] }>(await call("GET", `/v1/settlements/${october.id}/decisions`, { key: EXA.keys.h2 }), 200)).decisions).toEqual([]);
    const csv = await (await call("GET", `/v1/settlements/${october.id}/statements.csv`, { key: EXA.keys.agency })).text();
    expect(csv).toContain("特例单议点数 Reviewed points");
    expect(csv.split("\r\n")[1]).toContain("700.0000");
  });

  it("the same decisions give the same hashes; a hospital may withdraw only its own open request", async () => {
    const again = await settle(EXA.keys.agency, EXA.regionId, "2026-10");
    expect([again.inputHash, again.outputHash]).toEqual([october.inputHash, october.outputHash]);
    const r1 = await json<Review>(await call("POST", "/v1/reviews", { key: EXA.keys.h1, json: { claimId: "r1", reason: "x", claimedFen: 0 } }), 201);
    await expectProblem(await call("POST", `/v1/reviews/${r1.id}/withdraw`, { key: EXA.keys.h2 }), 404);
    expect((await json<Review>(await call("POST", `/v1/reviews/${r1.id}/withdraw`, { key: EXA.keys.h1 }), 200)).status).toBe("withdrawn");
    await expectProblem(await call("POST", `/v1/reviews/${r1.id}/withdraw`, { key: EXA.keys.h1 }), 409);
    expect((await call("POST", `/v1/settlements/${october.id}/approve`, { key: EXA.keys.agency })).status).toBe(200);
  });
});

describe("§8 confirmed violation: example F through the API and a Workflow run", () => {
  let violationId: string;
  it("the agency confirms f5 as a serious split stay; an unknown kind is 422; the hospital cannot confirm", async () => {
    await expectProblem(await call("POST", "/v1/violations", { key: EXA.keys.agency, json: { claimId: "f5", kind: "jaywalking", reason: "x" } }), 422);
    await expectProblem(await call("POST", "/v1/violations", { key: EXA.keys.h2, json: { claimId: "f5", kind: "split-stay", reason: "x" } }), 403);
    const v = await json<{ id: string; status: string }>(await call("POST", "/v1/violations", { key: EXA.keys.agency, json: { claimId: "f5", kind: "split-stay", serious: true, reason: "stay split to earn two DRG payments" } }), 201);
    violationId = v.id;
    await expectProblem(await call("POST", "/v1/violations", { key: EXA.keys.agency, json: { claimId: "f5", kind: "fraud", reason: "twice" } }), 409);
  });

  it("the November run reproduces example F to the fen: f5 earns 0 and H2 loses 50 more", async () => {
    november = await settle(EXA.keys.agency, EXA.regionId, "2026-11");
    expect(november.status, november.error ?? "").toBe("completed");
    expect(november.totals.totalPoints).toBe("827.0000");
    const s = await statements(november);
    expect(money(s)).toEqual([
      ["EA1", "685.0000", 7_388_392, 5_038_392, 251_920, 4_786_472],
      ["EA2", "142.0000", 1_531_608, 961_608, 48_080, 913_528],
    ]);
    expect(s[1]!.pointsByClass).toMatchObject({ sanctioned: "0.0000", deduction: "-50.0000" });
    expect(s[1]!.flags).toMatchObject({ sanctioned: 1 });
  });

  it("a review decided after October was approved is an adjustment in the month being run", async () => {
    const r6 = await json<Review>(await call("POST", "/v1/reviews", { key: EXA.keys.h2, json: { claimId: "r6", reason: "ungroupable: rare diagnosis", claimedFen: yuan(9_000) } }), 201);
    await json(await call("POST", `/v1/reviews/${r6.id}/decision`, { key: EXA.keys.agency, json: { decision: "accept", approvedFen: yuan(4_500), reason: "half the cost is justified" } }), 200);
    const rerun = await settle(EXA.keys.agency, EXA.regionId, "2026-11");
    expect(rerun.inputHash).not.toBe(november.inputHash);
    const s = await statements(rerun);
    // r6 was 90.0000 points in October; reviewed A / avgAll × 100 = 45.0000: H2 carries −45 in November.
    expect(s.map((l) => [l.hospitalId, l.points])).toEqual([
      ["EA1", "685.0000"],
      ["EA2", "97.0000"],
    ]);
    expect(s[1]!.pointsByClass["review-adjustment"]).toBe("-45.0000");
    const applied = await json<{ decisions: { claimId: string; mode: string; month: string; pointsDelta: string }[] }>(await call("GET", `/v1/settlements/${rerun.id}/decisions`, { key: EXA.keys.agency }), 200);
    expect(applied.decisions.map((d) => [d.claimId, d.mode, d.month, d.pointsDelta])).toEqual([
      ["f5", "in-month", "2026-11", "-92.5000"],
      ["r6", "adjustment", "2026-10", "-45.0000"],
    ]);
    expect((await call("POST", `/v1/settlements/${rerun.id}/approve`, { key: EXA.keys.agency })).status).toBe(200);
  });

  it("an appeal reversed after approval restores the points as an adjustment; a second appeal is 409", async () => {
    await expectProblem(await call("POST", "/v1/appeals", { key: EXA.keys.h1, json: { subjectKind: "violation", subjectId: violationId, evidence: "not mine" } }), 404);
    const appeal = await json<{ id: string; status: string }>(
      await call("POST", "/v1/appeals", { key: EXA.keys.h2, json: { subjectKind: "violation", subjectId: violationId, evidence: "the second stay was a new condition", files: ["discharge-summary-f5.pdf"] } }),
      201,
    );
    await expectProblem(await call("POST", "/v1/appeals", { key: EXA.keys.h2, json: { subjectKind: "violation", subjectId: violationId, evidence: "again" } }), 409);
    await expectProblem(await call("POST", `/v1/appeals/${appeal.id}/decision`, { key: EXA.keys.h2, json: { decision: "reverse", reason: "self" } }), 403);
    expect((await json<{ status: string }>(await call("POST", `/v1/appeals/${appeal.id}/decision`, { key: EXA.keys.agency, json: { decision: "reverse", reason: "new condition confirmed by the records" } }), 200)).status).toBe("reversed");
    await expectProblem(await call("POST", `/v1/appeals/${appeal.id}/decision`, { key: EXA.keys.agency, json: { decision: "uphold", reason: "changed my mind" } }), 409);
    // The next run (December has not ended yet, so the open month being run is September) carries it.
    const september = await settle(EXA.keys.agency, EXA.regionId, "2026-09");
    expect(september.status, september.error ?? "").toBe("completed");
    const s = await statements(september);
    // November paid f5 0 points and deducted 50 (−92.5 against 42.5); the reversal gives back +92.5.
    expect(s.map((l) => [l.hospitalId, l.points, l.pointsByClass["supervision-adjustment"]])).toEqual([["EA2", "92.5000", "92.5000"]]);
  });

  it("a refused review can be appealed and reversed; the cap still binds the reversal", async () => {
    const { reviews } = await json<{ reviews: Review[] }>(await call("GET", "/v1/reviews?status=refused", { key: EXA.keys.h1 }), 200);
    const refused = reviews.find((r) => r.claimId === "r3")!;
    const appeal = await json<{ id: string }>(await call("POST", "/v1/appeals", { key: EXA.keys.h1, json: { subjectKind: "review", subjectId: refused.id, evidence: "the cap was miscounted" } }), 201);
    await expectProblem(await call("POST", `/v1/appeals/${appeal.id}/decision`, { key: EXA.keys.agency, json: { decision: "reverse", reason: "no amount" } }), 409);
    const capped = await json<{ detail: string }>(await call("POST", `/v1/appeals/${appeal.id}/decision`, { key: EXA.keys.agency, json: { decision: "reverse", approvedFen: yuan(500), reason: "accept" } }), 409);
    expect(capped.detail).toMatch(/cap reached: 1 of 1/);
    expect((await json<{ status: string }>(await call("POST", `/v1/appeals/${appeal.id}/decision`, { key: EXA.keys.agency, json: { decision: "uphold", reason: "the cap was right" } }), 200)).status).toBe("upheld");
  });

  it("every request, decision and appeal is in the audit log with key, time and reason", async () => {
    const { entries } = await json<{ entries: { keyId: string; at: string; path: string; status: number; detail: Record<string, unknown> | null }[] }>(await call("GET", "/v1/audit?limit=500", { key: EXA.keys.agency }), 200);
    const of = (pattern: RegExp) => entries.filter((e) => pattern.test(e.path));
    expect(of(/^\/v1\/reviews$/).length).toBeGreaterThanOrEqual(4);
    expect(of(/\/v1\/reviews\/.+\/decision/).some((e) => e.status === 409 && e.detail?.["reason"] === "ok")).toBe(true);
    expect(of(/\/v1\/violations$/).some((e) => e.status === 201 && e.keyId === "exa-agency" && e.detail?.["reason"] === "stay split to earn two DRG payments")).toBe(true);
    expect(of(/\/v1\/appeals\/.+\/decision/).some((e) => e.detail?.["reason"] === "new condition confirmed by the records" && e.at.length > 0)).toBe(true);
  });
});

describe("§8 screens on ingestion and in the run, and the review queue", () => {
  interface Flag {
    id: string;
    claimId: string | null;
    hospitalId: string;
    rule: string;
    status: string;
    source: string;
    parameters: Record<string, unknown>;
    evidence: Record<string, unknown>;
  }
  const flags = async (key: string, query: string) => (await json<{ flags: Flag[] }>(await call("GET", `/v1/flags?month=2026-09${query}`, { key }), 200)).flags;
  const sep = (c: Partial<Parameters<typeof claim>[0]> & { claimId: string }) => claim({ hospitalId: "EA1", admissionDate: "2026-09-10", dischargeDate: "2026-09-16", totalCostFen: yuan(12_000), patientPaidFen: yuan(2_000), ...c });

  beforeAll(async () => {
    await upload([
      sep({ claimId: "s1", personId: "S1", principalDx: "I10.x00", secondaryDx: [], admissionDate: "2026-09-01", dischargeDate: "2026-09-05", totalCostFen: yuan(5_000) }),
      sep({ claimId: "s2", personId: "S1", admissionDate: "2026-09-12", dischargeDate: "2026-09-18" }),
      sep({ claimId: "s3", personId: "S2", principalDx: "I10.x00", secondaryDx: [], admissionDate: "2026-09-20", dischargeDate: "2026-09-21", totalCostFen: yuan(1_000), patientPaidFen: yuan(200) }),
      sep({ claimId: "s4", personId: "S3", secondaryDx: ["J96.000", "K29.700"], totalCostFen: yuan(20_000) }),
    ]);
  });

  it("split-stay, low-standard-admission and upcoding-severity flag on ingestion, each with rule, parameters and evidence", async () => {
    const queue = await flags(EXA.keys.agency, "");
    expect(queue.map((f) => [f.rule, f.claimId, f.source]).sort()).toEqual([
      ["low-standard-admission", "s3", "ingestion"],
      ["split-stay", "s2", "ingestion"],
      ["upcoding-severity", "s4", "ingestion"],
    ]);
    const by = (rule: string) => queue.find((f) => f.rule === rule)!;
    expect(by("split-stay").evidence).toMatchObject({ otherClaimId: "s1", gapDays: 7, sameAdrg: false });
    expect(by("split-stay").parameters).toEqual({ splitStayDays: 15 });
    expect(by("low-standard-admission").evidence).toMatchObject({ losDays: 1, costShare: "0.2000" });
    expect(by("upcoding-severity").evidence).toEqual({ drg: "EW11", rw: 20_000, decidingDx: "J96.000", decidingLevel: "MCC", lowerDrg: "EW15", lowerRw: 12_000 });
    expect(await flags(EXA.keys.h2, "")).toEqual([]);
    expect((await flags(EXA.keys.agency, "&rule=split-stay")).map((f) => f.claimId)).toEqual(["s2"]);
  });

  it("the run screens again (no duplicates) and raises the hospital-level severity-share signal", async () => {
    await upload([
      ...Array.from({ length: 20 }, (_, i) => sep({ claimId: `v${i}`, personId: `V${i}`, secondaryDx: ["N18.500"], totalCostFen: yuan(20_000) })),
      ...Array.from({ length: 20 }, (_, i) => sep({ claimId: `w${i}`, hospitalId: "EA2", personId: `W${i}` })),
    ]);
    const run = await settle(EXA.keys.agency, EXA.regionId, "2026-09");
    expect(run.status, run.error ?? "").toBe("completed");
    const signal = await flags(EXA.keys.agency, "&rule=severity-share");
    expect(signal.map((f) => [f.hospitalId, f.claimId, f.source, f.evidence["adrg"], f.evidence["hospitalShare"], f.evidence["regionShare"]])).toEqual([["EA1", null, `run ${run.id}`, "EW1", "0.9545", "0.5000"]]);
    expect(signal[0]!.parameters).toMatchObject({ peerRatio: 15_000, peerMinEpisodes: 20 });
    expect((await flags(EXA.keys.agency, "&rule=split-stay")).length).toBe(1);
  });

  it("the agency confirms or dismisses a flag, always with a reason; a hospital-level signal names no episode", async () => {
    const queue = await flags(EXA.keys.agency, "");
    const by = (rule: string) => queue.find((f) => f.rule === rule)!;
    await expectProblem(await call("POST", `/v1/flags/${by("split-stay").id}/decision`, { key: EXA.keys.agency, json: { decision: "dismiss" } }), 400);
    await expectProblem(await call("POST", `/v1/flags/${by("split-stay").id}/decision`, { key: EXA.keys.h1, json: { decision: "dismiss", reason: "mine" } }), 403);
    const dismissed = await json<{ flag: Flag }>(await call("POST", `/v1/flags/${by("low-standard-admission").id}/decision`, { key: EXA.keys.agency, json: { decision: "dismiss", reason: "day surgery pathway" } }), 200);
    expect(dismissed.flag.status).toBe("dismissed");
    const confirmed = await json<{ flag: Flag; violation: { kind: string; claimId: string; correctedDrg: string } }>(
      await call("POST", `/v1/flags/${by("upcoding-severity").id}/decision`, { key: EXA.keys.agency, json: { decision: "confirm", kind: "upcoding", correctedDrg: "EW15", reason: "J96.000 not supported by the record" } }),
      200,
    );
    expect([confirmed.flag.status, confirmed.violation.kind, confirmed.violation.claimId, confirmed.violation.correctedDrg]).toEqual(["confirmed", "upcoding", "s4", "EW15"]);
    await expectProblem(await call("POST", `/v1/flags/${by("upcoding-severity").id}/decision`, { key: EXA.keys.agency, json: { decision: "dismiss", reason: "again" } }), 409);
    await expectProblem(await call("POST", `/v1/flags/${by("severity-share").id}/decision`, { key: EXA.keys.agency, json: { decision: "confirm", kind: "upcoding", reason: "x" } }), 409);
    // The next run of the month prices s4 at EW15 (120.0000) and deducts 2 × (200 − 120) = 160.
    const rerun = await settle(EXA.keys.agency, EXA.regionId, "2026-09");
    const s = await statements(rerun);
    expect(s[0]!.pointsByClass).toMatchObject({ sanctioned: "120.0000", deduction: "-160.0000" });
  });
});
