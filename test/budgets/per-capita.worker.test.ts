import { beforeAll, describe, expect, it } from "vitest";
import { defaultParameters } from "../../src/payment";
import { call, demoKeys } from "../support/http";
import { withDemoRegion } from "../support/seed";

beforeAll(withDemoRegion);

interface Budget {
  entitlement: { amount: number; source: string };
}

async function consortiumBudget() {
  const res = await call("GET", "/v1/consortia/C01/budget?year=2026&asOf=2026-06-30", { key: demoKeys.consortium.C01 });
  expect(res.status).toBe(200);
  return (await res.json()) as Budget;
}

describe("consortium entitlement from the per-capita parameter (RULES.md §4)", () => {
  it("is per-capita × insured catchment residents: 1,500 yuan × 40,000 = 60,000,000.00 yuan (example D)", async () => {
    const params = defaultParameters({ year: 2026, region: "demo" });
    params.consortium.perCapita = 1_500_00;
    expect((await call("PUT", "/v1/regions/demo/years/2026/parameters", { key: demoKeys.agency, json: { params } })).status).toBe(201);
    expect((await consortiumBudget()).entitlement).toEqual({ amount: 6_000_000_000, source: "per-capita" });
  });

  it("yields to an amount the agency sets", async () => {
    const res = await call("PUT", "/v1/consortia/C01/budget/2026", { key: demoKeys.agency, json: { entitlementOverrideFen: 5_000_000_000 } });
    expect(res.status, await res.text()).toBe(200);
    expect((await consortiumBudget()).entitlement).toEqual({ amount: 5_000_000_000, source: "override" });
  });
});
