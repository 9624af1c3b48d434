import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_MONTHLY_DRG_BUDGET_FEN } from "../../fixtures/demo-region";
import { DEMO_MIX_WEIGHTS, generateClaims } from "../../fixtures/generator/claims";
import { call, demoKeys } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { NDJSON, type Report } from "./claims";
import { settle, type RunBody } from "./support";

const HOSPITALS = { acute: ["H01", "H02", "H03", "H04", "H05", "H08", "H09", "H10", "H11", "H12"], psychiatric: ["H06"], rehabilitation: ["H07"], palliative: ["H03"] };

interface Statement {
  hospitalId: string;
  drgEpisodes: number;
  perDiemEpisodes: number;
  drgShareFen: number;
  drgPatientPaidFen: number;
  drgPaymentFen: number;
  perDiemPaymentFen: number;
  depositFen: number;
  netPayableFen: number;
  flags: Record<string, number>;
}

async function upload(lines: unknown[]) {
  const res = await call("POST", "/v1/claims", { key: demoKeys.agency, body: lines.map((l) => JSON.stringify(l)).join("\n"), headers: NDJSON });
  const report = (await res.json()) as Report;
  expect(report.counts.rejected, JSON.stringify(report.rejected.slice(0, 3))).toBe(0);
  return report;
}

let run: RunBody;
let statements: Statement[];
const OCTOBER = 3_000;

beforeAll(async () => {
  await withDemoRegion();
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO weight_tables (region_id, year, avg_all_cost_fen, version) VALUES ('demo', 2026, 1000000, 'test-mix')"),
    ...DEMO_MIX_WEIGHTS.map((w) =>
      env.DB.prepare("INSERT OR IGNORE INTO drg_weights (region_id, year, drg, rw, avg_cost_fen, avg_los_tenths, adrg, per_diem_ward) VALUES ('demo', 2026, ?, ?, ?, 80, ?, ?)").bind(w.drg, w.rw, w.avgCostFen, w.adrg, w.perDiemWard ?? null),
    ),
  ]);
  // September first: late-September stays are the readmission context of October.
  await upload([...generateClaims({ seed: 9, month: "2026-09", count: 400, persons: 600, hospitals: HOSPITALS, claimIdPrefix: "S" })]);
  await upload([...generateClaims({ seed: 10, month: "2026-10", count: OCTOBER, persons: 600, hospitals: HOSPITALS, claimIdPrefix: "O", readmissionShare: 0.05 })]);
  run = await settle(demoKeys.agency, "demo", "2026-10");
  statements = ((await (await call("GET", `/v1/settlements/${run.id}/statements`, { key: demoKeys.agency })).json()) as { statements: Statement[] }).statements;
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("a full month on the demo region", () => {
  it("prices every claim of the month in several Workflow steps", () => {
    expect(run.status, run.error ?? "").toBe("completed");
    expect(run.progress).toEqual({ episodesDone: OCTOBER, episodesTotal: OCTOBER });
    expect(sum(statements.map((s) => s.drgEpisodes + s.perDiemEpisodes + (s.flags["interimNotPerDiem"] ?? 0)))).toBe(OCTOBER);
  });

  it("Σ fund payments equals the month's budget to the fen (RULES.md §2)", () => {
    expect(run.totals.budgetFen).toBe(DEMO_MONTHLY_DRG_BUDGET_FEN);
    expect(sum(statements.map((s) => s.drgPaymentFen))).toBe(DEMO_MONTHLY_DRG_BUDGET_FEN);
    expect(sum(statements.map((s) => s.drgShareFen))).toBe(run.totals["poolFen"]);
  });

  it("each statement adds up, and the statements add up to the run's totals", () => {
    for (const s of statements) {
      expect(s.drgPaymentFen).toBe(s.drgShareFen - s.drgPatientPaidFen);
      expect(s.netPayableFen).toBe(s.drgPaymentFen - s.depositFen + s.perDiemPaymentFen);
    }
    expect(sum(statements.map((s) => s.depositFen))).toBe(run.totals.drg.depositFen);
    expect(sum(statements.map((s) => s.perDiemPaymentFen))).toBe(run.totals.perDiem.fundFen);
    expect(sum(statements.map((s) => s.netPayableFen))).toBe(run.totals.netPayableFen);
    expect(run.totals.netPayableFen).toBe(run.totals.drg.paidNowFen + run.totals.perDiem.fundFen);
  });

  it("flags review cases: ungroupable, readmissions (within the month and from September), high and low cases, per-diem stays", () => {
    const flags = (k: string) => sum(statements.map((s) => s.flags[k] ?? 0));
    expect(flags("ungroupable")).toBeGreaterThan(0);
    expect(flags("readmission")).toBeGreaterThan(0);
    expect(flags("high") + flags("low")).toBeGreaterThan(0);
    expect(statements.find((s) => s.hospitalId === "H06")!.perDiemEpisodes).toBeGreaterThan(0);
  });
});
