import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { claim, ndjson, NDJSON, type Report } from "./claims";
import { EXA, exampleAClaims, seedExampleRegion, settle, type RunBody } from "./support";

const yuan = (y: number) => y * 100;
const EXAMPLE_A = exampleAClaims("e");

interface Statement {
  hospitalId: string;
  hospitalName: string;
  points: string;
  pointsByClass: Record<string, string>;
  drgShareFen: number;
  drgPaymentFen: number;
  depositFen: number;
  netPayableFen: number;
  flags: Record<string, number>;
}

let first: RunBody;

beforeAll(async () => {
  await withDemoRegion();
  await seedExampleRegion();
  const res = await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson(EXAMPLE_A), headers: NDJSON });
  expect(((await res.json()) as Report).counts.accepted).toBe(6);
  first = await settle(EXA.keys.agency, EXA.regionId, "2026-10");
});

describe("RULES.md example A as a settlement run through the API", () => {
  it("completes with example A's totals: 919.5000 points, point value 97.0092, Σ fund payments = B_m", () => {
    expect(first.status, first.error ?? "").toBe("completed");
    expect(first.progress).toEqual({ episodesDone: 6, episodesTotal: 6 });
    expect(first.totals).toMatchObject({ budgetFen: 6_000_000, poolFen: 8_920_000, totalPoints: "919.5000", pointValue: "97.0092" });
    expect(first.totals.drg).toEqual({ episodes: 6, fundFen: 6_000_000, depositFen: 214_757 + 85_243, paidNowFen: 4_080_376 + 1_619_624 });
    expect(first.definitionSetId).toBe("demo");
    expect(first.parameterSetId).toBeGreaterThan(0);
    expect(first.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("statements match example A to the fen", async () => {
    const res = await call("GET", `/v1/settlements/${first.id}/statements`, { key: EXA.keys.agency });
    const { statements } = (await res.json()) as { statements: Statement[] };
    expect(statements.map((s) => [s.hospitalId, s.points, s.drgShareFen, s.drgPaymentFen, s.depositFen, s.netPayableFen])).toEqual([
      ["EA1", "685.0000", 6_645_133, 4_295_133, 214_757, 4_080_376],
      ["EA2", "234.5000", 2_274_867, 1_704_867, 85_243, 1_619_624],
    ]);
    expect(statements[0]!.pointsByClass).toEqual({ normal: "120.0000", high: "550.0000", low: "15.0000" });
    expect(statements[1]!.pointsByClass).toEqual({ normal: "144.5000", ungroupable: "90.0000" });
    expect(statements[0]!.flags).toMatchObject({ high: 1, low: 1, ungroupable: 0 });
    expect(statements[1]!.flags).toMatchObject({ ungroupable: 1, review: 1 });
  });

  it("a hospital sees its own statement only; another region's keys see nothing", async () => {
    const own = (await (await call("GET", `/v1/settlements/${first.id}/statements`, { key: EXA.keys.h2 })).json()) as { statements: Statement[] };
    expect(own.statements.map((s) => s.hospitalId)).toEqual(["EA2"]);
    const csv = await (await call("GET", `/v1/settlements/${first.id}/statements.csv`, { key: EXA.keys.h2 })).text();
    expect(csv).not.toContain("EA1");
    const { demoKeys } = await import("../support/http");
    await expectProblem(await call("GET", `/v1/settlements/${first.id}`, { key: demoKeys.agency }), 404);
    await expectProblem(await call("GET", `/v1/settlements/${first.id}/statements`, { key: demoKeys.hospital.H01 }), 404);
    await expectProblem(await call("POST", `/v1/settlements/${first.id}/approve`, { key: demoKeys.agency }), 404);
  });

  it("the CSV export is Excel-ready: BOM, bilingual headers, yuan with two decimals, formulas neutralised", async () => {
    const res = await call("GET", `/v1/settlements/${first.id}/statements.csv`, { key: EXA.keys.agency });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const [header, row1, row2] = text.split("\r\n");
    expect(header).toContain("医院 Hospital");
    expect(header).toContain("应付净额(元) Net payable (yuan)");
    expect(row1).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(row1).toContain("42951.33");
    expect(row1).toContain("40803.76");
    expect(row2).toContain("16196.24");
  });

  it("re-running the unchanged period gives the same input and output hashes; earlier runs stay readable", async () => {
    const again = await settle(EXA.keys.agency, EXA.regionId, "2026-10");
    expect(again.id).not.toBe(first.id);
    expect([again.inputHash, again.outputHash]).toEqual([first.inputHash, first.outputHash]);
    // A changed claim makes a new run with new hashes.
    await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson([{ ...EXAMPLE_A[4]!, totalCostFen: yuan(6_100) }]), headers: NDJSON });
    const changed = await settle(EXA.keys.agency, EXA.regionId, "2026-10");
    expect(changed.status).toBe("completed");
    expect(changed.inputHash).not.toBe(first.inputHash);
    expect(changed.totals.drg.fundFen).toBe(6_000_000);
    const list = (await (await call("GET", "/v1/settlements?regionId=exa&period=2026-10", { key: EXA.keys.h1 })).json()) as { runs: RunBody[] };
    expect(list.runs.map((r) => r.id).sort()).toEqual([first.id, again.id, changed.id].sort());
    const old = (await (await call("GET", `/v1/settlements/${first.id}/statements`, { key: EXA.keys.agency })).json()) as { statements: Statement[] };
    expect(old.statements[1]!.drgPaymentFen).toBe(1_704_867);
  });

  it("only one run of a region-period may be in progress: 409", async () => {
    await env.DB.prepare("INSERT INTO settlement_runs (id, region_id, period, status) VALUES ('held', 'exa', '2026-11', 'running')").run();
    await expectProblem(await call("POST", "/v1/settlements", { key: EXA.keys.agency, json: { regionId: "exa", period: "2026-11" } }), 409);
    await expectProblem(await call("GET", "/v1/settlements/held/statements", { key: EXA.keys.agency }), 409);
    await env.DB.prepare("UPDATE settlement_runs SET status = 'failed' WHERE id = 'held'").run();
  });

  it("a transient step failure is retried and the run completes", async () => {
    const run = await settle(EXA.keys.agency, EXA.regionId, "2026-10", async (m) => {
      await m.mockStepError({ name: "allocate" }, new Error("D1 hiccup"), 1);
    });
    expect(run.status).toBe("completed");
  });

  it("a step that keeps failing ends the run failed with the reason, and shows no statements", async () => {
    const run = await settle(EXA.keys.agency, EXA.regionId, "2026-10", async (m) => {
      await m.mockStepError({ name: "allocate" }, new Error("disk on fire"));
    });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("disk on fire");
    expect(run.totals).toBeNull();
    await expectProblem(await call("GET", `/v1/settlements/${run.id}/statements`, { key: EXA.keys.agency }), 409);
  });

  it("a DRG without a weight fails the run with the reason (never paid zero silently)", async () => {
    await call("POST", "/v1/claims", { key: EXA.keys.agency, body: ndjson([claim({ claimId: "w1", hospitalId: "EA1", personId: "Q9", principalDx: "F20.900", secondaryDx: [], dischargeDate: "2026-12-09", admissionDate: "2026-12-01" })]), headers: NDJSON });
    await env.DB.prepare("UPDATE parameter_sets SET params = json_set(params, '$.drg.monthlyBudgets.\"2026-12\"', 100000) WHERE region_id = 'exa'").run();
    const run = await settle(EXA.keys.agency, EXA.regionId, "2026-12", undefined, "2027-01-05");
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/TR19/);
  });

  it("approval freezes a run: approving twice and new runs of the approved period are 409", async () => {
    const runs = (await (await call("GET", "/v1/settlements?regionId=exa&period=2026-10", { key: EXA.keys.agency })).json()) as { runs: RunBody[] };
    const completed = runs.runs.find((r) => r.status === "completed")!;
    await expectProblem(await call("POST", `/v1/settlements/${completed.id}/approve`, { key: EXA.keys.h1 }), 403);
    const ok = await call("POST", `/v1/settlements/${completed.id}/approve`, { key: EXA.keys.agency });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as RunBody).status).toBe("approved");
    await expectProblem(await call("POST", `/v1/settlements/${completed.id}/approve`, { key: EXA.keys.agency }), 409);
    const other = runs.runs.find((r) => r.status === "completed" && r.id !== completed.id)!;
    await expectProblem(await call("POST", `/v1/settlements/${other.id}/approve`, { key: EXA.keys.agency }), 409);
    await expectProblem(await call("POST", "/v1/settlements", { key: EXA.keys.agency, json: { regionId: "exa", period: "2026-10" } }), 409);
    const statements = await call("GET", `/v1/settlements/${completed.id}/statements`, { key: EXA.keys.agency });
    expect(statements.status).toBe(200);
  });
});
