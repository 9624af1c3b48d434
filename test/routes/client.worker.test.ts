import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createClient } from "../../src/client";
import { BASE } from "../support/http";
import { EPISODE, seedExampleRegion, yuan, type TestRegion } from "../preview/region";

let t: TestRegion;
beforeAll(async () => {
  t = await seedExampleRegion("pvclient");
});

describe("typed client (src/client.ts)", () => {
  it("calls POST /v1/preview with a typed body and reads a typed result", async () => {
    const client = createClient(BASE, t.keys.h1, { fetch: (input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init) });
    const res = await client.v1.preview.$post({ json: { ...EPISODE.A, sex: "M", scheme: "employee", hospitalId: t.h1, totalCostFen: yuan(12_000) } });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const body = await res.json();
    // The response type flows from the zod schema: a typo here would not compile.
    expectTypeOf(body.points?.points).toEqualTypeOf<string | undefined>();
    expectTypeOf(body.expectedPayment).toEqualTypeOf<{ standardFen: number; paidOutsideFundFen: number; fundFen: number } | null>();
    expect(body.points?.points).toBe("120.0000");
    expect(body.grouping.drg.code).toBe("EW15");
  });

  it("reads a DRG by code through the typed path parameters", async () => {
    const client = createClient(BASE, t.keys.agency, { fetch: (input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init) });
    const res = await client.v1.drgs[":code"].$get({ param: { code: "EW15" }, query: {} });
    expect(res.status).toBe(200);
    if (res.status === 200) expect((await res.json()).weight?.rw).toBe("1.2000");
  });

  it("the monthly review is typed too: a hospital's review request and the agency's queue (issue 17)", async () => {
    const hospital = createClient(BASE, t.keys.h1, { fetch: (input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init) });
    const refused = await hospital.v1.reviews.$post({ json: { claimId: "no-such-claim", reason: "typed", claimedFen: 0 } });
    expect(refused.status).toBe(404);
    const agency = createClient(BASE, t.keys.agency, { fetch: (input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init) });
    const queue = await agency.v1.flags.$get({ query: { month: "2026-10", rule: "split-stay" } });
    expect(queue.status).toBe(200);
    if (queue.status !== 200) return;
    const body = await queue.json();
    expectTypeOf<(typeof body.flags)[number]["rule"]>().toEqualTypeOf<"split-stay" | "low-standard-admission" | "upcoding-severity" | "severity-share">();
    expect(Array.isArray(body.flags)).toBe(true);
  });
});
