import { describe, expect, it } from "vitest";
import exampleA from "../../fixtures/scenarios/example-a.json";
import exampleC from "../../fixtures/scenarios/example-c.json";
import { simulate } from "../../src/payment";
import { call, demoKeys, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { beforeAll } from "vitest";

beforeAll(withDemoRegion);

describe("POST /v1/simulations", () => {
  it("returns for worked example A exactly what the library and CLI compute", async () => {
    const res = await call("POST", "/v1/simulations", { key: demoKeys.agency, json: exampleA });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(simulate(exampleA))));
  });

  it("reproduces example A's fund payments to the fen (RULES.md §2)", async () => {
    const res = await call("POST", "/v1/simulations", { key: demoKeys.agency, json: exampleA });
    const text = await res.text();
    for (const fen of ["4295133", "1704867", "214757", "85243"]) expect(text).toContain(fen);
  });

  it("reproduces example C's capitation entitlement through the API", async () => {
    const res = await call("POST", "/v1/simulations", { key: demoKeys.agency, json: exampleC });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("247500");
  });

  it("an unpriceable scenario is a 422 naming the field", async () => {
    const broken = structuredClone(exampleA) as { episodes: { drg?: string }[] };
    broken.episodes[0]!.drg = "ZZ99";
    const body = await expectProblem(await call("POST", "/v1/simulations", { key: demoKeys.agency, json: broken }), 422);
    expect(body.errors![0]!.field).toMatch(/episodes\[0\]/);
  });

  it("a malformed scenario is a 400 naming the field", async () => {
    const body = await expectProblem(await call("POST", "/v1/simulations", { key: demoKeys.agency, json: { ...exampleA, parameters: { ...exampleA.parameters, year: "next" } } }), 400);
    expect(body.errors!.map((e) => e.field)).toContain("parameters.year");
  });
});
