import { beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMITS } from "../../src/http/body-limit";
import { call, demoKeys, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";

beforeAll(withDemoRegion);

describe("errors are RFC 9457 problem+json", () => {
  it("an unknown route is a 404 problem", async () => {
    const body = await expectProblem(await call("GET", "/v1/no-such-thing", { key: demoKeys.agency }), 404);
    expect(body.detail).toContain("/v1/no-such-thing");
  });

  it("malformed JSON is a 400 problem, not a crash", async () => {
    const res = await call("POST", "/v1/keys", { key: demoKeys.agency, body: "{not json", headers: { "content-type": "application/json" } });
    const body = await expectProblem(res, 400);
    expect(body.detail.length).toBeGreaterThan(0);
  });

  it("a schema violation names each failing field and its reason", async () => {
    const res = await call("POST", "/v1/keys", { key: demoKeys.agency, json: { role: "janitor", label: "" } });
    const body = await expectProblem(res, 400);
    const fields = body.errors!.map((e) => e.field).sort();
    expect(fields).toEqual(["label", "role"]);
    expect(body.errors!.every((e) => e.reason.length > 0)).toBe(true);
  });

  it("a rule-parameter violation names the nested field", async () => {
    const res = await call("PUT", "/v1/regions/demo/years/2026/parameters", { key: demoKeys.agency, json: { params: { nonsense: true } } });
    const body = await expectProblem(res, 400);
    expect(body.errors!.length).toBeGreaterThan(0);
    expect(body.errors!.every((e) => e.field.startsWith("params"))).toBe(true);
  });

  it("a body over the documented limit is a 413 problem", async () => {
    const huge = JSON.stringify({ role: "agency", label: "x".repeat(BODY_LIMITS.json) });
    const res = await call("POST", "/v1/keys", { key: demoKeys.agency, body: huge, headers: { "content-type": "application/json" } });
    await expectProblem(res, 413);
  });

  it("a path parameter out of range is a 400 naming it", async () => {
    const body = await expectProblem(await call("GET", "/v1/regions/demo/years/1800/parameters", { key: demoKeys.agency }), 400);
    expect(body.errors!.map((e) => e.field)).toContain("param.year");
  });
});

describe("one condition, one status (domain error codes)", () => {
  it("no parameter set is 409 no-parameters on the preview and on the clearing alike", async () => {
    const preview = await expectProblem(
      await call("POST", "/v1/preview", { key: demoKeys.hospital.H01, json: { hospitalId: "H01", scheme: "employee", losDays: 9, principalDx: "J18.900", totalCostFen: 1_200_000, year: 2031 } }),
      409,
    );
    const clearing = await expectProblem(await call("POST", "/v1/clearings", { key: demoKeys.agency, json: { regionId: "demo", year: 2031 } }), 409);
    expect([preview.code, clearing.code]).toEqual(["no-parameters", "no-parameters"]);
    expect(preview.type).toBe(clearing.type);
  });

  it("an unknown definition set asked for by name is 404 unknown-definition-set", async () => {
    const res = await call("POST", "/v1/grouper/group?set=no-such-set", { key: demoKeys.agency, json: { principalDx: "J18.900", losDays: 3 } });
    expect((await expectProblem(res, 404)).code).toBe("unknown-definition-set");
  });

  it("every problem carries the response's X-Request-Id, and a caller's own valid id is kept", async () => {
    const res = await call("GET", "/v1/no-such-thing", { key: demoKeys.agency, headers: { "x-request-id": "trace-4711" } });
    expect((await expectProblem(res, 404)).requestId).toBe("trace-4711");
    const ok = await call("GET", "/health");
    expect(ok.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
  });
});
