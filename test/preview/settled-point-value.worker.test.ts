import { beforeAll, describe, expect, it } from "vitest";
import { settle } from "../settlement/support";
import { call, demoKeys } from "../support/http";
import { withDemoRegionAndClaims } from "../support/seed";

beforeAll(withDemoRegionAndClaims);

const episode = { hospitalId: "H01", scheme: "employee", sex: "M", ageYears: 67, losDays: 9, principalDx: "J18.900", totalCostFen: 1_150_000 };

async function previewPointValue() {
  const res = await call("POST", "/v1/preview", { key: demoKeys.hospital.H01, json: episode });
  expect(res.status).toBe(200);
  return ((await res.json()) as { pointValue: { source: string; period: string | null; runId: string | null; poolFen: number; totalPoints: string; yuanPerPoint: string } }).pointValue;
}

describe("preview after a real settlement run", () => {
  it("values points at the latest approved run's pool / points, not the avgAll estimate", async () => {
    expect((await previewPointValue()).source).toBe("avg-all");
    const run = await settle(demoKeys.agency, "demo", "2026-09");
    expect(run.status).toBe("completed");
    expect((await call("POST", `/v1/settlements/${run.id}/approve`, { key: demoKeys.agency })).status).toBe(200);
    const totals = run.totals as unknown as { poolFen: number; totalPoints: string; pointValue: string };
    expect(await previewPointValue()).toMatchObject({ source: "settlement", period: "2026-09", runId: run.id, poolFen: totals.poolFen, totalPoints: totals.totalPoints, yuanPerPoint: totals.pointValue });
  });
});
