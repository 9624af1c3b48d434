import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, demoKeys, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { balanced, claim, csv, CSV, ndjson, NDJSON, type Report } from "./claims";

beforeAll(withDemoRegion);

async function submit(body: string, headers = NDJSON, key = demoKeys.agency): Promise<Report> {
  const res = await call("POST", "/v1/claims", { key, body, headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const report = JSON.parse(text) as Report;
  expect(balanced(report)).toBe(true);
  return report;
}

const storedRows = async (claimId: string) =>
  (await env.DB.prepare("SELECT version, status, drg FROM claims WHERE claim_id = ? ORDER BY version").bind(claimId).all()).results;

describe("claims ingestion", () => {
  it("accepts valid lines, groups them on arrival and reports bad lines with line, field and reason", async () => {
    const report = await submit(
      ndjson([
        claim({ claimId: "I-1" }),
        "",
        claim({ claimId: "I-2", principalDx: "I10.x00", secondaryDx: [] }),
        "{not json",
        { ...claim({ claimId: "I-3" }), dischargeDate: "2026-13-01" },
        { ...claim({ claimId: "I-4" }), patientPaidFen: 99_999_999 },
        { ...claim({ claimId: "I-5" }), hospitalId: "X99" },
        (({ principalDx: _, ...rest }) => rest)(claim({ claimId: "I-6" })),
        { ...claim({ claimId: "I-7" }), dischargeDate: undefined },
      ]),
    );
    expect(report.submitted).toBe(8);
    expect(report.counts).toEqual({ accepted: 2, superseded: 0, duplicates: 0, rejected: 6 });
    expect(report.rejected.map((r) => [r.line, r.errors[0]!.field])).toEqual([
      [4, "(line)"],
      [5, "dischargeDate"],
      [6, "patientPaidFen"],
      [7, "hospitalId"],
      [8, "principalDx"],
      [9, "dischargeDate"],
    ]);
    for (const r of report.rejected) expect(r.errors[0]!.reason.length).toBeGreaterThan(0);
    const res = await call("GET", "/v1/claims/I-1", { key: demoKeys.agency });
    const body = (await res.json()) as { versions: { grouping: { drg: string; setId: string; version: string } }[] };
    expect(body.versions[0]!.grouping).toMatchObject({ drg: "EW15", setId: "demo", version: "2026.1" });
  });

  it("resubmitting the same file is a no-op: every line is a duplicate", async () => {
    const lines = [claim({ claimId: "D-1" }), claim({ claimId: "D-2", personId: "P00002" })];
    expect((await submit(ndjson(lines))).counts.accepted).toBe(2);
    const again = await submit(ndjson(lines));
    expect(again.counts).toEqual({ accepted: 0, superseded: 0, duplicates: 2, rejected: 0 });
    expect(await storedRows("D-1")).toHaveLength(1);
  });

  it("changed content is a new version; the old one is kept as superseded", async () => {
    await submit(ndjson([claim({ claimId: "V-1" })]));
    const changed = await submit(ndjson([claim({ claimId: "V-1", totalCostFen: 1_300_000 })]));
    expect(changed.counts).toEqual({ accepted: 0, superseded: 1, duplicates: 0, rejected: 0 });
    expect(changed.superseded[0]).toMatchObject({ line: 1, id: "V-1", version: 2, supersedesVersion: 1 });
    expect(await storedRows("V-1")).toEqual([
      { version: 1, status: "superseded", drg: "EW15" },
      { version: 2, status: "current", drg: "EW15" },
    ]);
    const res = await call("GET", "/v1/claims/V-1", { key: demoKeys.agency });
    const body = (await res.json()) as { versions: { version: number; status: string; totalCostFen: number }[] };
    expect(body.versions.map((v) => [v.version, v.status, v.totalCostFen])).toEqual([
      [2, "current", 1_300_000],
      [1, "superseded", 1_200_000],
    ]);
  });

  it("the same claim twice in one upload: the second line is compared with the first", async () => {
    const r = await submit(ndjson([claim({ claimId: "T-1" }), claim({ claimId: "T-1" }), claim({ claimId: "T-1", patientPaidFen: 1 })]));
    expect(r.counts).toEqual({ accepted: 1, superseded: 1, duplicates: 1, rejected: 0 });
    expect(await storedRows("T-1")).toEqual([
      { version: 1, status: "superseded", drg: "EW15" },
      { version: 2, status: "current", drg: "EW15" },
    ]);
  });

  it("a batch interrupted half way (first chunks stored) resubmitted whole: nothing lost, nothing doubled", async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => claim({ claimId: `B-${i}`, personId: `P${String((i % 2400) + 1).padStart(5, "0")}` }));
    // The first 800 lines stored on their own, as if the upload broke after them.
    const first = await submit(ndjson(lines.slice(0, 800)));
    expect(first.counts.accepted).toBe(800);
    const whole = await submit(ndjson(lines));
    expect(whole.counts).toEqual({ accepted: 200, superseded: 0, duplicates: 800, rejected: 0 });
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM claims WHERE claim_id LIKE 'B-%'").first<{ n: number }>())!;
    expect(n).toBe(1000);
  });

  it("CSV with a BOM reads like NDJSON: the same claims are duplicates of their NDJSON versions", async () => {
    const lines = [claim({ claimId: "C-1", secondaryDx: ["K29.700", "I10.x00"] }), claim({ claimId: "C-2", plannedReadmission: true })];
    await submit(ndjson(lines));
    const r = await submit(csv(lines, true), CSV);
    expect(r.counts).toEqual({ accepted: 0, superseded: 0, duplicates: 2, rejected: 0 });
    const stored = (await (await call("GET", "/v1/claims/C-1", { key: demoKeys.agency })).json()) as { versions: { secondaryDx: string[]; plannedReadmission: boolean; grouping: { flags: string[] } }[] };
    expect(stored.versions[0]).toMatchObject({ secondaryDx: ["K29.700", "I10.x00"], plannedReadmission: false, grouping: { flags: [] } });
    const planned = (await (await call("GET", "/v1/claims/C-2", { key: demoKeys.agency })).json()) as { versions: { plannedReadmission: boolean }[] };
    expect(planned.versions[0]!.plannedReadmission).toBe(true);
    const plain = await submit(csv([claim({ claimId: "C-3" })], false), CSV);
    expect(plain.accepted).toEqual([{ line: 2, id: "C-3", version: 1 }]);
  });

  it("a CSV line with bad cells is rejected with its line number; a bad header refuses the upload", async () => {
    const text = csv([claim({ claimId: "CB-1" }), { ...claim({ claimId: "CB-2" }), totalCostFen: "12,5" as unknown as number }]);
    const r = await submit(text, CSV);
    expect(r.counts.accepted).toBe(1);
    expect(r.rejected[0]!.line).toBe(3);
    const bad = await call("POST", "/v1/claims", { key: demoKeys.agency, body: "claimId,bogus\nx,y\n", headers: CSV });
    const problem = await expectProblem(bad, 400);
    expect(problem.errors!.map((e) => e.field)).toContain("(header)[1]");
  });

  it("a hospital key's line for another hospital is rejected, the rest of the batch is stored", async () => {
    const r = await submit(ndjson([claim({ claimId: "H-1", hospitalId: "H01" }), claim({ claimId: "H-2", hospitalId: "H02" })]), NDJSON, demoKeys.hospital.H01);
    expect(r.counts).toEqual({ accepted: 1, superseded: 0, duplicates: 0, rejected: 1 });
    expect(r.rejected[0]).toMatchObject({ line: 2, errors: [{ field: "hospitalId" }] });
  });

  it("a claim id belongs to one hospital: another hospital cannot overwrite it", async () => {
    await submit(ndjson([claim({ claimId: "O-1", hospitalId: "H02" })]));
    const r = await submit(ndjson([claim({ claimId: "O-1", hospitalId: "H01" })]), NDJSON, demoKeys.hospital.H01);
    expect(r.counts.rejected).toBe(1);
    expect(await storedRows("O-1")).toHaveLength(1);
  });

  it("interim claims of ongoing stays are settled in the period's month", async () => {
    const r = await submit(ndjson([claim({ claimId: "L-1", wardCategory: "psychiatric", admissionDate: "2026-08-20", dischargeDate: undefined, periodStart: "2026-10-01", periodEnd: "2026-10-31", principalDx: "F20.900", secondaryDx: [] })]));
    expect(r.counts.accepted).toBe(1);
    const row = await env.DB.prepare("SELECT settlement_month, los_days FROM claims WHERE claim_id = 'L-1'").first();
    expect(row).toEqual({ settlement_month: "2026-10", los_days: 73 });
  });

  it("refuses what is neither NDJSON nor CSV with 415", async () => {
    await expectProblem(await call("POST", "/v1/claims", { key: demoKeys.agency, json: [claim({ claimId: "J-1" })] }), 415);
  });

  it("lists current claims by month and hospital, paged; a hospital sees only its own", async () => {
    const page1 = await call("GET", "/v1/claims?month=2026-10&hospitalId=H01&limit=5", { key: demoKeys.agency });
    const p1 = (await page1.json()) as { claims: { claimId: string; hospitalId: string; status: string }[]; next: number };
    expect(p1.claims).toHaveLength(5);
    expect(p1.claims.every((c) => c.hospitalId === "H01" && c.status === "current")).toBe(true);
    const page2 = (await (await call("GET", `/v1/claims?month=2026-10&hospitalId=H01&limit=5&after=${p1.next}`, { key: demoKeys.agency })).json()) as { claims: { claimId: string }[] };
    expect(page2.claims[0]!.claimId).not.toBe(p1.claims[4]!.claimId);
    const own = (await (await call("GET", "/v1/claims?month=2026-10", { key: demoKeys.hospital.H02 })).json()) as { claims: { hospitalId: string }[] };
    expect(own.claims.length).toBeGreaterThan(0);
    expect(own.claims.every((c) => c.hospitalId === "H02")).toBe(true);
    await expectProblem(await call("GET", "/v1/claims?hospitalId=H01", { key: demoKeys.hospital.H02 }), 404);
    await expectProblem(await call("GET", "/v1/claims/I-1", { key: demoKeys.hospital.H02 }), 404);
  });
});
