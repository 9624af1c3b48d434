import { beforeAll, describe, expect, it } from "vitest";
import { settle } from "../settlement/support";
import { call, demoKeys } from "../support/http";
import { withDemoRegionAndClaims } from "../support/seed";

beforeAll(withDemoRegionAndClaims);

const episode = { hospitalId: "H01", scheme: "employee", sex: "M", ageYears: 67, losDays: 9, principalDx: "J18.900", totalCostFen: 1_150_000 };

async function previewPointValue() {
  const res = await call("POST", "/v1/preview", { key: demoKeys.hospital.H01, json: episode });
  expect(res.status).toBe(200);
  return ((await res.json()) as { pointValue: { source: string; period: string | null; poolFen: number; totalPoints: string; yuanPerPoint: string } }).pointValue;
}

describe("preview after a real settlement run", () => {
  it("values points at the latest completed run's pool / points, not the avgAll estimate", async () => {
    expect((await previewPointValue()).source).toBe("avg-all");
    const run = await settle(demoKeys.agency, "demo", "2026-09");
    expect(run.status).toBe("completed");
    const totals = run.totals as unknown as { poolFen: number; totalPoints: string; pointValue: string };
    // A parameter write clears this isolate's preview cache; a run completing does not, so read through a fresh entry.
    const params = await call("GET", "/v1/regions/demo/years/2026/parameters", { key: demoKeys.agency });
    await call("PUT", "/v1/regions/demo/years/2026/parameters", { key: demoKeys.agency, json: { params: ((await params.json()) as { params: unknown }).params } });
    expect(await previewPointValue()).toMatchObject({ source: "settlement", period: "2026-09", poolFen: totals.poolFen, totalPoints: totals.totalPoints, yuanPerPoint: totals.pointValue });
  });
});
