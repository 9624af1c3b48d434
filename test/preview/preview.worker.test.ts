import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import type { PreviewResult } from "../../src/preview/schemas";
import { call, expectProblem } from "../support/http";
import { DRG, EPISODE, seedExampleRegion, yuan, type TestRegion } from "./region";

/*
 * POST /v1/preview against RULES.md worked example A: the six episodes get
 * exactly the points of the table, valued at the region's latest settled
 * point value (or avgAll/100 before any month is settled).
 */
let open: TestRegion; // no month settled yet
let settled: TestRegion; // 2026-10 settled with example A's pool and points

beforeAll(async () => {
  open = await seedExampleRegion("pvopen");
  settled = await seedExampleRegion("pvset", { settled: { period: "2026-10", poolFen: 8_920_000, totalPoints: "919.5000" } });
});

const base = { scheme: "employee", dischargeDate: "2026-10-20", admissionDate: "2026-10-12" } as const;

async function preview(key: string, body: Record<string, unknown>): Promise<PreviewResult> {
  const res = await call("POST", "/v1/preview", { key, json: body });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as PreviewResult;
}

const codes = (r: PreviewResult) => r.warnings.map((w) => w.code);

describe("worked example A through the preview", () => {
  const table = [
    { ep: "e1", h: "h1", episode: EPISODE.A, drg: DRG.A, cost: 12_000, cls: "normal", points: "120.0000" },
    { ep: "e2", h: "h1", episode: EPISODE.C, drg: DRG.C, cost: 80_000, cls: "high", points: "550.0000" },
    { ep: "e3", h: "h1", episode: EPISODE.B, drg: DRG.B, cost: 1_500, cls: "low", points: "15.0000" },
    { ep: "e4", h: "h2", episode: EPISODE.A, drg: DRG.A, cost: 10_000, cls: "normal", points: "102.0000" },
    { ep: "e5", h: "h2", episode: EPISODE.B, drg: DRG.B, cost: 6_000, cls: "normal", points: "42.5000" },
    { ep: "e6", h: "h2", episode: EPISODE.QY, drg: "0000", cost: 9_000, cls: "ungroupable", points: "90.0000" },
  ] as const;

  for (const row of table) {
    it(`${row.ep}: ${row.drg} at ${row.cost} yuan is ${row.cls} with ${row.points} points, at the settled point value`, async () => {
      const hospitalId = row.h === "h1" ? settled.h1 : settled.h2;
      const r = await preview(settled.keys[row.h], { ...base, ...row.episode, id: row.ep, hospitalId, totalCostFen: yuan(row.cost) });
      expect(r.grouping.drg.code).toBe(row.drg);
      expect(r.points?.class).toBe(row.cls);
      expect(r.points?.points).toBe(row.points);
      expect(r.pointValue).toMatchObject({ source: "settlement", period: "2026-10", runId: "pvset-run-1", poolFen: 8_920_000, totalPoints: "919.5000", yuanPerPoint: "97.0092" });
      // standard = points × pool / Σ points, rounded half away from zero to the fen.
      const units = BigInt(row.points.replace(".", ""));
      const num = units * 8_920_000n;
      const den = 9_195_000n;
      const expected = Number((num * 2n + den) / (2n * den));
      expect(r.expectedPayment?.standardFen).toBe(expected);
      expect(r.expectedPayment!.fundFen).toBe(expected - r.expectedPayment!.paidOutsideFundFen);
    });
  }

  it("shows the numbers used: RW, r, thresholds and their costs, k", async () => {
    const r = await preview(settled.keys.h2, { ...base, ...EPISODE.A, hospitalId: settled.h2, totalCostFen: yuan(10_000) });
    expect(r.points).toMatchObject({ rw: "1.2000", base: "120.0000", avgCostFen: yuan(12_000), ratio: "0.8333", highThreshold: "2.5000", lowThreshold: "0.4000", coefficient: "0.8500" });
    expect(r.points?.highThresholdCostFen).toBe(yuan(30_000));
    expect(r.points?.lowThresholdCostFen).toBe(yuan(4_800));
    expect(r.grouping).toMatchObject({ setId: "demo", mdc: { code: "MDCE" }, adrg: { code: "EW1", nameEn: expect.stringMatching(/pneumonia/i) }, drg: { code: "EW15", name: expect.any(String) } });
    expect(r.grouping.cc).toEqual([]);
  });

  it("before any month is settled, values points at avgAll per 100 points and says so", async () => {
    const r = await preview(open.keys.h1, { ...base, ...EPISODE.A, hospitalId: open.h1, totalCostFen: yuan(12_000) });
    expect(r.points?.points).toBe("120.0000");
    expect(r.pointValue).toMatchObject({ source: "avg-all", period: null, yuanPerPoint: "100.0000" });
    expect(r.expectedPayment?.standardFen).toBe(yuan(12_000));
    expect(codes(r)).toContain("point-value-estimated");
  });

  it("projects the cost so far to the expected stay and groups with the expected length", async () => {
    const r = await preview(open.keys.h1, { ...base, ...EPISODE.A, losDays: 4, hospitalId: open.h1, costSoFarFen: yuan(6_000), expectedDays: 8 });
    expect(r.cost).toEqual({ totalCostFen: yuan(12_000), projected: true, groupedLosDays: 8 });
    expect(r.points?.class).toBe("normal");
  });

  it("estimates the patient's share by layer (RULES.md §5), with medical assistance only for key groups", async () => {
    const plain = await preview(open.keys.h2, { ...base, ...EPISODE.A, hospitalId: open.h2, scheme: "resident", totalCostFen: yuan(10_000) });
    // secondary: deductible 500; resident 75% of 9,500 = 7,125; coinsurance 2,375.
    expect(plain.patientShare).toMatchObject({ deductible: yuan(500), basicFund: yuan(7_125), coinsurance: yuan(2_375), medicalAssistance: 0, patientPays: yuan(2_875) });
    const assisted = await preview(open.keys.h2, { ...base, ...EPISODE.A, hospitalId: open.h2, scheme: "resident", patientGroup: "extreme-poverty", totalCostFen: yuan(10_000) });
    expect(assisted.patientShare.medicalAssistance).toBe(yuan(2_012.5));
    expect(assisted.patientShare.patientPays).toBe(yuan(862.5));
    const p = assisted.patientShare.byPayer;
    expect(p.basicFund + p.criticalIllness + p.medicalAssistance + p.patient).toBe(yuan(10_000));
    expect(assisted.expectedPayment?.paidOutsideFundFen).toBe(yuan(10_000) - yuan(7_125));
  });

  it("gives the per-diem standard for a per-diem ward instead of points", async () => {
    const r = await preview(open.keys.h2, { ...EPISODE.B, scheme: "resident", hospitalId: open.h2, wardCategory: "psychiatric", losDays: 73, totalCostFen: yuan(20_000) });
    expect(r.points).toBeNull();
    expect(r.pointValue).toBeNull();
    // Days 1–60 at 280, 61–73 at 250 (RULES.md §3).
    expect(r.perDiem).toMatchObject({ rateTable: "psychiatric", days: 73, overCapDays: 0, standardFen: yuan(60 * 280 + 13 * 250) });
    expect(r.expectedPayment?.standardFen).toBe(yuan(60 * 280 + 13 * 250));
    const over = await preview(open.keys.h2, { ...EPISODE.B, scheme: "resident", hospitalId: open.h2, wardCategory: "rehabilitation", losDays: 95, totalCostFen: yuan(40_000) });
    expect(over.perDiem?.overCapDays).toBe(5);
    expect(codes(over)).toContain("per-diem-over-cap");
  });
});

describe("warnings", () => {
  const at = (cost: number, episode: Record<string, unknown> = EPISODE.A) => preview(open.keys.h1, { ...base, ...episode, hospitalId: open.h1, totalCostFen: yuan(cost) });

  it("near the high-cost threshold: within 10% below H fires, further below does not", async () => {
    // A: avg 12,000, H 2.5 → 30,000; 10% of H·avg = 3,000.
    expect(codes(await at(27_000))).toContain("near-high-threshold");
    expect(codes(await at(26_999.99))).not.toContain("near-high-threshold");
    const above = await at(33_000);
    expect(above.points?.class).toBe("high");
    expect(above.warnings.find((w) => w.code === "near-high-threshold")?.detail).toMatchObject({ side: "above", thresholdCostFen: yuan(30_000) });
    expect(codes(await at(33_000.01))).not.toContain("near-high-threshold");
  });

  it("near the low-cost threshold: within 10% of L on either side", async () => {
    // A: L 0.4 → 4,800; 10% = 480.
    expect(codes(await at(5_280))).toContain("near-low-threshold");
    expect(codes(await at(5_280.01))).not.toContain("near-low-threshold");
    const below = await at(4_320);
    expect(below.points?.class).toBe("low");
    expect(below.warnings.find((w) => w.code === "near-low-threshold")?.detail).toMatchObject({ side: "below" });
    expect(codes(await at(4_319.99))).not.toContain("near-low-threshold");
  });

  it("in a split ADRG without CC/MCC, says which DRG an MCC or a CC would give", async () => {
    const r = await at(12_000);
    const cc = r.warnings.filter((w) => w.code === "cc-would-change-group");
    expect(cc.map((w) => w.detail?.drg)).toEqual(["EW11", "EW13"]);
    expect(cc[0]?.detail).toMatchObject({ level: "MCC", suffix: "1", rw: "2.0000" });
    expect(cc[1]?.detail).toMatchObject({ level: "CC", suffix: "3", rw: "1.5000" });
  });

  it("with an MCC counted, nothing to suggest; the MCC is listed as counted", async () => {
    const r = await at(20_000, { ...EPISODE.A, secondaryDx: ["J96.000"] });
    expect(r.grouping.drg.code).toBe("EW11");
    expect(r.grouping.cc).toEqual([{ code: "J96.000", level: "MCC", exclusionTable: "E1" }]);
    expect(codes(r)).not.toContain("cc-would-change-group");
  });

  it("a secondary excluded by the principal's exclusion table is reported as excluded", async () => {
    // J15.900 is a CC of table E3, the table of principal J18.900.
    const r = await at(12_000, { ...EPISODE.A, secondaryDx: ["J15.900"] });
    expect(r.grouping.ccExcluded.map((c) => c.code)).toEqual(["J15.900"]);
    expect(codes(r)).toContain("cc-excluded");
  });

  it("an ungroupable case carries the grouper's edits and the case-review warning", async () => {
    const r = await at(9_000, EPISODE.QY);
    expect(r.grouping.status).toBe("ungroupable");
    expect(r.points?.class).toBe("ungroupable");
    expect(codes(r)).toEqual(expect.arrayContaining(["grouper-edit", "ungroupable"]));
  });

  describe("readmission within R days (RULES.md §1)", () => {
    beforeAll(async () => {
      const db = openDatabase(env.DB);
      const claim = (claimId: string, hospitalId: string, adrg: string, admissionDate: string, dischargeDate: string) => ({
        regionId: open.regionId,
        claimId,
        version: 1,
        status: "current" as const,
        hospitalId,
        personId: "PV-P1",
        scheme: "employee" as const,
        wardCategory: "acute" as const,
        admissionDate,
        dischargeDate,
        settlementMonth: dischargeDate.slice(0, 7),
        losDays: 5,
        principalDx: "J18.900",
        secondaryDx: [],
        procedures: [],
        totalCostFen: yuan(12_000),
        patientPaidFen: yuan(3_000),
        contentHash: claimId,
        adrg,
        drg: `${adrg}5`,
      });
      await db.insert(schema.claims).values([
        claim("PV-C1", open.h1, "EW1", "2026-09-20", "2026-09-25"),
        claim("PV-C2", open.h2, "EW1", "2026-09-20", "2026-09-26"), // other hospital: never a pair
        claim("PV-C3", open.h1, "ET1", "2026-09-20", "2026-09-27"), // other ADRG: never a pair
      ]);
    });
    const stay = (admissionDate: string, extra: Record<string, unknown> = {}) =>
      preview(open.keys.h1, { ...EPISODE.A, scheme: "employee", hospitalId: open.h1, totalCostFen: yuan(12_000), personId: "PV-P1", admissionDate, dischargeDate: "2026-10-30", ...extra });

    it("fires on day R = 15 after the stored stay's discharge, naming the claim and which stay is halved", async () => {
      const r = await stay("2026-10-10");
      const w = r.warnings.filter((x) => x.code === "readmission");
      expect(w).toHaveLength(1);
      expect(w[0]?.detail).toMatchObject({ claimId: "PV-C1", gapDays: 15, thisStayIs: "later", halvedStay: "earlier", appliesToThisStay: false, factor: "0.5000" });
    });

    it("fires when the previewed stay is the earlier one and a stored stay follows within R days; that stay is the one halved by default", async () => {
      const r = await preview(open.keys.h1, { ...EPISODE.A, scheme: "employee", hospitalId: open.h1, totalCostFen: yuan(12_000), personId: "PV-P1", admissionDate: "2026-09-01", dischargeDate: "2026-09-10" });
      const w = r.warnings.find((x) => x.code === "readmission");
      expect(w?.detail).toMatchObject({ claimId: "PV-C1", gapDays: 10, thisStayIs: "earlier", appliesToThisStay: true });
    });

    it("does not fire on day 16, for a planned readmission, or without a personId", async () => {
      expect(codes(await stay("2026-10-11"))).not.toContain("readmission");
      expect(codes(await stay("2026-10-01", { planned: true }))).not.toContain("readmission");
      const anonymous = await preview(open.keys.h1, { ...EPISODE.A, scheme: "employee", hospitalId: open.h1, totalCostFen: yuan(12_000), admissionDate: "2026-10-01", dischargeDate: "2026-10-05" });
      expect(codes(anonymous)).not.toContain("readmission");
    });
  });
});

describe("tenancy", () => {
  const body = (hospitalId: string) => ({ ...base, ...EPISODE.A, hospitalId, totalCostFen: yuan(12_000) });

  it("a hospital cannot preview as another hospital: 404, like a missing one", async () => {
    await expectProblem(await call("POST", "/v1/preview", { key: open.keys.h1, json: body(open.h2) }), 404);
    await expectProblem(await call("POST", "/v1/preview", { key: open.keys.h1, json: body("no-such-hospital") }), 404);
  });

  it("an agency previews any hospital of its region, and no hospital of another region", async () => {
    expect((await call("POST", "/v1/preview", { key: open.keys.agency, json: body(open.h2) })).status).toBe(200);
    await expectProblem(await call("POST", "/v1/preview", { key: open.keys.agency, json: body(settled.h1) }), 404);
  });

  it("a hospital created after the region was cached can be previewed at once", async () => {
    expect((await call("POST", "/v1/preview", { key: open.keys.agency, json: body(open.h1) })).status).toBe(200);
    await openDatabase(env.DB).insert(schema.hospitals).values({ id: `${open.regionId}-H3`, regionId: open.regionId, name: "三号医院", nameEn: "Hospital 3", level: "primary" });
    const r = await preview(open.keys.agency, body(`${open.regionId}-H3`));
    expect(r.points).toMatchObject({ points: "84.0000", coefficient: "0.7000" });
  });

  it("a consortium key may not preview: 403", async () => {
    await expectProblem(await call("POST", "/v1/preview", { key: open.keys.consortium, json: body(open.h1) }), 403);
  });
});

describe("bad input", () => {
  it("names each bad field", async () => {
    const res = await call("POST", "/v1/preview", { key: open.keys.h1, json: { hospitalId: open.h1, scheme: "gold", losDays: -1, principalDx: "" } });
    const problem = await expectProblem(res, 400);
    const fields = problem.errors?.map((e) => e.field) ?? [];
    expect(fields).toEqual(expect.arrayContaining(["scheme", "losDays", "principalDx"]));
  });

  it("needs a total cost, or a cost so far with the expected days, never both", async () => {
    const ep = { ...EPISODE.A, scheme: "employee", hospitalId: open.h1 };
    const none = await expectProblem(await call("POST", "/v1/preview", { key: open.keys.h1, json: ep }), 400);
    expect(none.errors?.map((e) => e.field)).toEqual(["totalCostFen"]);
    const both = await expectProblem(await call("POST", "/v1/preview", { key: open.keys.h1, json: { ...ep, totalCostFen: 1, costSoFarFen: 1, expectedDays: 9 } }), 400);
    expect(both.errors?.map((e) => e.field)).toEqual(["totalCostFen"]);
    const half = await expectProblem(await call("POST", "/v1/preview", { key: open.keys.h1, json: { ...ep, costSoFarFen: 1 } }), 400);
    expect(half.errors?.map((e) => e.field)).toEqual(["expectedDays"]);
  });

  it("a year without parameters or weights is a 409 no-parameters naming the year, as on every other route", async () => {
    const problem = await expectProblem(await call("POST", "/v1/preview", { key: open.keys.h1, json: { ...EPISODE.A, scheme: "employee", hospitalId: open.h1, totalCostFen: 1, year: 2031 } }), 409);
    expect(problem.code).toBe("no-parameters");
    expect(problem.errors?.[0]?.field).toBe("year");
  });
});

describe("parameter cache", () => {
  it("a new parameter version applies to the next preview at once (the PUT clears this isolate's cache)", async () => {
    const body = { ...base, ...EPISODE.A, hospitalId: settled.h1, totalCostFen: yuan(12_000) };
    expect((await preview(settled.keys.h1, body)).points?.points).toBe("120.0000");
    const current = (await (await call("GET", `/v1/regions/${settled.regionId}/years/2026/parameters`, { key: settled.keys.agency })).json()) as { params: { drg: { coefficientByLevel: Record<string, number> } } };
    current.params.drg.coefficientByLevel.tertiary = 9_000;
    const put = await call("PUT", `/v1/regions/${settled.regionId}/years/2026/parameters`, { key: settled.keys.agency, json: { params: current.params, note: "k 0.90 for tertiary" } });
    expect(put.status).toBe(201);
    const after = await preview(settled.keys.h1, body);
    expect(after.points).toMatchObject({ points: "108.0000", coefficient: "0.9000" });
  });
});
