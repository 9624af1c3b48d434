import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../src/app";
import { call } from "../support/http";

/*
 * The OpenAPI document is generated from the route definitions, so these tests
 * guard two things: the document is a well-formed OpenAPI 3.1 document, and no
 * route of the Worker bypasses createRoute (it would be missing from the docs).
 */

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;

// The parts of the OpenAPI 3.1 schema (spec.openapis.org/oas/3.1) that a generator can get wrong.
const responseSchema = z.object({ description: z.string(), content: z.record(z.string(), z.object({ schema: z.unknown().optional() })).optional() }).or(z.object({ $ref: z.string() }));
const parameterSchema = z.object({ name: z.string().min(1), in: z.enum(["path", "query", "header", "cookie"]), required: z.boolean().optional(), schema: z.unknown() });
const operationSchema = z.object({
  summary: z.string().min(1),
  tags: z.array(z.string()).optional(),
  operationId: z.string().optional(),
  parameters: z.array(parameterSchema).optional(),
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: z.unknown() })) }).optional(),
  responses: z.record(z.string().regex(/^([1-5]\d\d|[1-5]XX|default)$/), responseSchema).refine((r) => Object.keys(r).length > 0, "no responses"),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
});
const documentSchema = z.object({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.object({ title: z.string().min(1), version: z.string().min(1), description: z.string().optional() }),
  servers: z.array(z.object({ url: z.string() })).optional(),
  paths: z.record(z.string().regex(/^\//), z.object(Object.fromEntries(METHODS.map((m) => [m, operationSchema.optional()])))),
  components: z.object({ schemas: z.record(z.string(), z.unknown()).optional(), securitySchemes: z.record(z.string(), z.unknown()).optional() }).optional(),
});
type OpenApiDocument = z.infer<typeof documentSchema>;

async function fetchDocument(): Promise<OpenApiDocument> {
  const res = await call("GET", "/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return documentSchema.parse(await res.json());
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document: structure, path parameters declared, every $ref and security scheme resolves", async () => {
    const doc = await fetchDocument();
    for (const ref of refsIn(doc)) {
      const [, kind, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      expect((doc.components as Record<string, Record<string, unknown>> | undefined)?.[kind!]?.[name!], `unresolved ${ref}`).toBeDefined();
    }
    for (const [template, item] of Object.entries(doc.paths)) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const declared = (op.parameters ?? []).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), `${method} ${template}`).toEqual([...names].sort());
        expect(declared.every((p) => p.required === true), `${method} ${template} path parameters required`).toBe(true);
        for (const s of op.security ?? []) for (const scheme of Object.keys(s)) expect(doc.components?.securitySchemes?.[scheme], scheme).toBeDefined();
      }
    }
  });

  it("secures every /v1 route with the bearer scheme and documents its error responses as problem+json", async () => {
    const doc = await fetchDocument();
    expect(doc.components?.securitySchemes?.bearer).toEqual({ type: "http", scheme: "bearer" });
    for (const [template, item] of Object.entries(doc.paths)) {
      if (!template.startsWith("/v1/")) continue;
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        expect(op.security, `${method} ${template}`).toEqual([{ bearer: [] }]);
        expect(op.responses["401"], `${method} ${template} documents 401`).toBeDefined();
      }
    }
  });

  it("lists every route the Worker serves (a route defined without createRoute fails here)", async () => {
    const doc = await fetchDocument();
    const app = createApp();
    const documented = new Set<string>();
    for (const [template, item] of Object.entries(doc.paths)) for (const m of METHODS) if (item[m]) documented.add(`${m.toUpperCase()} ${template}`);
    const served = new Set<string>();
    for (const r of app.routes) {
      // Middleware (app.use) is registered as method ALL on a wildcard path; it is not an endpoint.
      if (r.method === "ALL" && r.path.includes("*")) continue;
      // The dashboard's server-rendered pages (cookie session, HTML) are deliberately not API (src/app.ts).
      if (r.path === "/app" || r.path.startsWith("/app/")) continue;
      served.add(`${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
    }
    expect(served.size).toBeGreaterThan(10);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });
});

describe("GET /docs", () => {
  it("renders a page whose scripts and styles all come from this Worker, and those assets are served", async () => {
    const res = await call("GET", "/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(ref, "same-origin, absolute path").toMatch(/^\/[^/]/);
      const asset = await call("GET", ref);
      expect(asset.status, ref).toBe(200);
      const body = await asset.text();
      expect(body.length, ref).toBeGreaterThan(0);
    }
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await (await call("GET", "/docs/assets/swagger-ui-bundle.js")).text();
    expect(bundle).toContain("SwaggerUIBundle");
    expect(bundle.length).toBeGreaterThan(500_000);
    const css = await call("GET", "/docs/assets/swagger-ui.css");
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await css.text()).toContain(".swagger-ui");
    const init = await (await call("GET", "/docs/assets/init.js")).text();
    expect(init).toContain('"/openapi.json"');
  });

  it("answers an unknown asset with a problem, not a crash", async () => {
    const res = await call("GET", "/docs/assets/evil.js");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });
});
