import { beforeAll, describe, expect, it } from "vitest";
import { GROUPER_BATCH_LIMIT } from "../../src/routes/grouper";
import { call, demoKeys, expectProblem } from "../support/http";
import { withDemoRegion } from "../support/seed";

beforeAll(withDemoRegion);

const appendectomy = { id: "E-1", sex: "F", ageYears: 34, losDays: 4, principalDx: "K35.800", secondaryDx: [], procedures: ["47.0100"] };

interface GroupBody {
  id: string;
  setId: string;
  status: string;
  mdc: string;
  adrg: string;
  drg: string;
  trace?: { step: string; source: string }[];
}

describe("POST /v1/grouper/group", () => {
  it("groups with the caller's region's set: an appendectomy lands in its surgical ADRG", async () => {
    const res = await call("POST", "/v1/grouper/group", { key: demoKeys.hospital.H01, json: appendectomy });
    expect(res.status).toBe(200);
    const body = (await res.json()) as GroupBody;
    expect(body).toMatchObject({ id: "E-1", setId: "demo", status: "grouped", mdc: "MDCG", adrg: "GD1" });
    expect(body.drg.startsWith("GD1")).toBe(true);
    expect(body.trace).toBeUndefined();
  });

  it("explains itself on request: an ordered trace naming the table rows", async () => {
    const res = await call("POST", "/v1/grouper/group?explain=true", { key: demoKeys.consortium.C01, json: appendectomy });
    const body = (await res.json()) as GroupBody;
    expect(body.trace!.length).toBeGreaterThan(2);
    expect(body.trace!.map((t) => t.step)).toContain("adrg");
    expect(body.trace!.every((t) => t.source.length > 0)).toBe(true);
  });

  it("an unknown definition set is a 404 problem", async () => {
    await expectProblem(await call("POST", "/v1/grouper/group?set=nope", { key: demoKeys.agency, json: appendectomy }), 404);
  });

  it("a malformed episode is a 400 naming the field", async () => {
    const body = await expectProblem(await call("POST", "/v1/grouper/group", { key: demoKeys.agency, json: { ...appendectomy, ageYears: -3 } }), 400);
    expect(body.errors!.map((e) => e.field)).toEqual(["ageYears"]);
  });
});

describe("POST /v1/grouper/batch", () => {
  it("groups the good episodes and reports the bad one in its place", async () => {
    const episodes = [appendectomy, { ...appendectomy, id: "bad", sex: "X" }, { ...appendectomy, id: "E-3" }];
    const res = await call("POST", "/v1/grouper/batch", { key: demoKeys.agency, json: { episodes } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { grouped: number; rejected: number; items: { index: number; result?: GroupBody; errors?: { field: string }[] }[] };
    expect(body.grouped + body.rejected).toBe(episodes.length);
    expect(body.rejected).toBe(1);
    expect(body.items[1]!.errors!.map((e) => e.field)).toEqual(["episodes[1].sex"]);
    expect(body.items[2]!.result!.id).toBe("E-3");
  });

  it(`refuses more than ${GROUPER_BATCH_LIMIT} episodes with a 400`, async () => {
    const episodes = Array.from({ length: GROUPER_BATCH_LIMIT + 1 }, () => ({}));
    const body = await expectProblem(await call("POST", "/v1/grouper/batch", { key: demoKeys.agency, json: { episodes } }), 400);
    expect(body.errors![0]!.field).toBe("episodes");
  });
});

describe("GET /v1/definitions and /health", () => {
  it("list the bundled demonstration set", async () => {
    const res = await call("GET", "/v1/definitions", { key: demoKeys.hospital.H03 });
    const { definitionSets } = (await res.json()) as { definitionSets: { id: string; demonstration: boolean; drgs: number }[] };
    expect(definitionSets).toContainEqual(expect.objectContaining({ id: "demo", demonstration: true }));
    const health = (await (await call("GET", "/health")).json()) as { definitionSets: { id: string }[] };
    expect(health.definitionSets.map((s) => s.id)).toContain("demo");
  });
});
