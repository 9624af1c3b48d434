import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem } from "../support/http";
import { seedExampleRegion, yuan, type TestRegion } from "../preview/region";

let t: TestRegion;
beforeAll(async () => {
  t = await seedExampleRegion("pvdrg");
});

interface Drg {
  code: string;
  name: string;
  nameEn: string;
  adrg: { code: string };
  mdc: { code: string };
  year: number | null;
  weight: { rw: string; avgCostFen: number; avgLosDays: string; highThreshold: string | null } | null;
}

describe("GET /v1/drgs/{code}", () => {
  it("gives the DRG's names from the region's set and the region's weight, average cost and LOS of the latest year", async () => {
    const res = await call("GET", "/v1/drgs/EW15", { key: t.keys.h1 });
    expect(res.status).toBe(200);
    const d = (await res.json()) as Drg;
    expect(d).toMatchObject({ code: "EW15", adrg: { code: "EW1" }, mdc: { code: "MDCE" }, year: 2026 });
    expect(d.nameEn).toMatch(/pneumonia/i);
    expect(d.name).toMatch(/肺炎/);
    expect(d.weight).toEqual({ rw: "1.2000", avgCostFen: yuan(12_000), avgLosDays: "8.5", perDiemWard: null, highThreshold: "2.5000" });
  });

  it("a DRG of the set without a weight, or a year without weights, has weight null; an unknown code is 404", async () => {
    expect(((await (await call("GET", "/v1/drgs/ET13", { key: t.keys.agency })).json()) as Drg).weight).toBeNull();
    const y = (await (await call("GET", "/v1/drgs/EW15?year=2024", { key: t.keys.agency })).json()) as Drg;
    expect(y).toMatchObject({ year: 2024, weight: null });
    await expectProblem(await call("GET", "/v1/drgs/XX99", { key: t.keys.agency }), 404);
    await expectProblem(await call("GET", "/v1/drgs/EW15?year=abc", { key: t.keys.agency }), 400);
  });
});

describe("GET /v1/drgs?search=", () => {
  const search = async (q: string) => (await (await call("GET", `/v1/drgs?search=${encodeURIComponent(q)}`, { key: t.keys.consortium })).json()) as { total: number; drgs: Drg[] };

  it("finds by code prefix, Chinese name and English name (case-insensitive)", async () => {
    expect((await search("ew1")).drgs.map((d) => d.code)).toEqual(["EW11", "EW13", "EW15"]);
    expect((await search("肺炎")).drgs.map((d) => d.code)).toEqual(expect.arrayContaining(["EW11", "EW13", "EW15"]));
    expect((await search("PNEUMONIA")).drgs.map((d) => d.code)).toEqual(expect.arrayContaining(["EW11", "EW13", "EW15"]));
    expect((await search("no such words")).total).toBe(0);
    const both = (await search("肺炎 严重")).drgs.map((d) => d.code);
    expect(both).toContain("EW11");
    expect(both).not.toContain("EW15");
  });

  it("limits the list and reports the total", async () => {
    const res = await call("GET", "/v1/drgs?limit=5", { key: t.keys.agency });
    const body = (await res.json()) as { total: number; drgs: Drg[] };
    expect(body.drgs).toHaveLength(5);
    expect(body.total).toBeGreaterThan(100);
  });
});
