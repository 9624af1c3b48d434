import { beforeAll, describe, expect, it } from "vitest";
import { PREVIEW_BATCH_MAX, previewRequestSchema } from "../../src/preview/schemas";
import { call, expectProblem } from "../support/http";
import { EPISODE, seedExampleRegion, yuan, type TestRegion } from "./region";

let t: TestRegion;
beforeAll(async () => {
  t = await seedExampleRegion("pvbatch");
});

interface BatchBody {
  submitted: number;
  accepted: number;
  rejected: number;
  results: ({ index: number; ok: true; result: { points: { points: string } | null; hospitalId: string } } | { index: number; ok: false; errors: { field: string; reason: string }[] })[];
}

async function batch(key: string, items: unknown[]): Promise<BatchBody> {
  const res = await call("POST", "/v1/preview/batch", { key, json: { items } });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as BatchBody;
}

describe("POST /v1/preview/batch", () => {
  it("previews each item like POST /v1/preview and reports bad items by index, field and reason without failing the others", async () => {
    const good = (cost: number) => ({ ...EPISODE.A, scheme: "employee", hospitalId: t.h1, totalCostFen: yuan(cost), id: `c${cost}` });
    const single = await call("POST", "/v1/preview", { key: t.keys.h1, json: good(12_000) });
    const body = await batch(t.keys.h1, [
      good(12_000),
      { ...good(1), scheme: "platinum" },
      "not an object",
      { ...good(2), hospitalId: t.h2 }, // another hospital's episode
      good(80_000),
      { ...good(3), year: 2030 }, // no parameters for 2030
    ]);
    expect(body).toMatchObject({ submitted: 6, accepted: 2, rejected: 4 });
    expect(body.results.map((r) => [r.index, r.ok])).toEqual([[0, true], [1, false], [2, false], [3, false], [4, true], [5, false]]);
    const [first, bad, notObject, other, , noYear] = body.results;
    expect(first!.ok && first!.result).toEqual(await single.json());
    expect(!bad!.ok && bad!.errors).toEqual([{ field: "scheme", reason: expect.any(String) }]);
    expect(!notObject!.ok && notObject!.errors[0]!.field).toBe("(root)");
    expect(!other!.ok && other!.errors).toEqual([{ field: "hospitalId", reason: `No hospital ${t.h2}.` }]);
    expect(!noYear!.ok && noYear!.errors[0]!.field).toBe("year");
  });

  it(`takes up to ${PREVIEW_BATCH_MAX} items and refuses more with a 400 naming items`, async () => {
    const item = { ...EPISODE.B, scheme: "resident", hospitalId: t.h2, totalCostFen: yuan(6_000) };
    const full = await batch(t.keys.agency, Array.from({ length: PREVIEW_BATCH_MAX }, () => item));
    expect(full.accepted).toBe(PREVIEW_BATCH_MAX);
    expect(full.results.every((r) => r.ok && r.result.points?.points === "42.5000")).toBe(true);
    const over = await expectProblem(await call("POST", "/v1/preview/batch", { key: t.keys.agency, json: { items: Array.from({ length: PREVIEW_BATCH_MAX + 1 }, () => item) } }), 400);
    expect(over.errors?.[0]?.field).toBe("items");
    await expectProblem(await call("POST", "/v1/preview/batch", { key: t.keys.agency, json: { items: [] } }), 400);
  });

  it("is refused to a consortium key", async () => {
    await expectProblem(await call("POST", "/v1/preview/batch", { key: t.keys.consortium, json: { items: [{}] } }), 403);
  });
});

describe("the documented example", () => {
  it("PreviewRequest's OpenAPI example is a valid request that previews", async () => {
    const doc = (await (await call("GET", "/openapi.json")).json()) as { components: { schemas: { PreviewRequest: { example: Record<string, unknown> } } } };
    const example = doc.components.schemas.PreviewRequest.example;
    expect(previewRequestSchema.safeParse(example).success).toBe(true);
    // The example names the demo region's H01; here it runs against the test region's H1.
    const res = await call("POST", "/v1/preview", { key: t.keys.h1, json: { ...example, hospitalId: t.h1, personId: undefined } });
    expect(res.status, await res.clone().text()).toBe(200);
  });
});
