import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { call, demoKeys } from "../support/http";
import { withDemoRegion } from "../support/seed";

/*
 * Property-based fuzzing of every route in the OpenAPI document: wrong types,
 * huge and negative numbers, unicode, formula-leading strings, malformed JSON
 * and NDJSON. Whatever arrives, the Worker answers without a 5xx; a refusal is
 * problem+json that names the field; and a refused request writes nothing.
 */
interface Operation {
  method: string;
  path: string;
  bodyFields: string[];
  params: string[];
}

const VALID_PARAMS: Record<string, string> = {
  regionId: "demo",
  year: "2026",
  hospitalId: "H01",
  consortiumId: "C01",
  code: "GB29",
};

function operations(): Operation[] {
  const doc = createApp().getOpenAPI31Document({ openapi: "3.1.0", info: { title: "medpay", version: "fuzz" } });
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, unknown>)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const o = op as { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } };
      const schema = Object.values(o.requestBody?.content ?? {})[0]?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        params: (o.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
        bodyFields: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return out;
}

const hostileScalar = fc.oneof(
  fc.constantFrom(-1, -1e15, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -0, 2 ** 63),
  fc.constantFrom("", " ", "=cmd|' /C calc'!A0", "+SUM(1)", "@import", "-1", "\u0000", "💊医保\u202e", "x".repeat(5000)),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const hostileValue = fc.oneof(hostileScalar, fc.array(hostileScalar, { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), hostileScalar, { maxKeys: 3 }));

const rawBodies = fc.oneof(
  fc.constantFrom("{", "[1,2", "null", "\"str\"", "{\"a\":}", "\ufeff{}", "{}\n{bad json}\n", "a,b,c\n=1,2,3\n", "\u0000\u0001"),
  fc.json(),
  fc.string({ unit: "grapheme", maxLength: 200 }),
);

function bodyFor(op: Operation) {
  const asObject = fc.dictionary(fc.constantFrom(...(op.bodyFields.length ? op.bodyFields : ["x"])), hostileValue, { minKeys: 1 }).map((o) => JSON.stringify(o));
  return fc.oneof(asObject, rawBodies);
}

function pathFor(op: Operation) {
  const hostileParam = fc.oneof(fc.constantFrom("../../etc", "%00", "9".repeat(40), "-1", "H01'--"), fc.string({ minLength: 1, maxLength: 30 }));
  return fc.tuple(...op.params.map((name) => fc.oneof(fc.constant(VALID_PARAMS[name] ?? "x"), hostileParam))).map((values) => {
    let path = op.path;
    op.params.forEach((name, i) => (path = path.replace(`{${name}}`, encodeURIComponent(values[i] ?? "x"))));
    return path;
  });
}

/** Row counts of every table but the audit log, in one statement. */
async function tableCounts(): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('d1_migrations', 'audit_log')",
  ).all<{ name: string }>();
  // One statement of scalar subqueries: D1 caps the terms of a compound SELECT.
  const sql = `SELECT ${results.map((r) => `(SELECT count(*) FROM "${r.name}") AS "${r.name}"`).join(", ")}`;
  return (await env.DB.prepare(sql).first<Record<string, number>>()) ?? {};
}

const RUNS_PER_ROUTE = 20;
const ops = operations();

beforeAll(withDemoRegion);

describe("fuzzing every documented route", () => {
  it("finds the routes to fuzz", () => {
    expect(ops.length).toBeGreaterThan(5);
  });

  for (const op of ops) {
    const withBody = op.method !== "GET" && op.method !== "DELETE";
    it(`${op.method} ${op.path}: no 5xx, problems name the field, refusals write nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(pathFor(op), withBody ? bodyFor(op) : fc.constant(undefined), fc.constantFrom(demoKeys.agency, demoKeys.hospital.H01), async (path, body, key) => {
          const before = await tableCounts();
          const res = await call(op.method, path, { key, body, headers: body === undefined ? {} : { "content-type": "application/json" } });
          const text = await res.text();
          expect(res.status, `${op.method} ${path} ${body?.slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
            const problem = JSON.parse(text) as { title: string; detail: string; status: number; errors?: { field: string; reason: string }[] };
            expect(problem.status).toBe(res.status);
            expect(problem.detail.length).toBeGreaterThan(0);
            if (res.status === 400) {
              expect(problem.errors?.length, text).toBeGreaterThan(0);
              for (const e of problem.errors!) {
                expect(e.field.length).toBeGreaterThan(0);
                expect(e.reason.length).toBeGreaterThan(0);
              }
            }
            expect(await tableCounts()).toEqual(before);
          }
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261123 },
      );
    });
  }
});
