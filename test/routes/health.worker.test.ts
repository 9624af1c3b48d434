import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../support/http";

describe("GET /health", () => {
  it("answers without a key, with version, definition sets and the migration level", async () => {
    const res = await call("GET", "/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; version: string; migrations: { applied: number; latest: string } };
    expect(body.status).toBe("ok");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.migrations.applied).toBe(env.TEST_MIGRATIONS.length);
    expect(body.migrations.latest).toBe(env.TEST_MIGRATIONS.at(-1)!.name);
  });

  it("migrations create every table of the schema on an empty database", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
    const tables = results.map((r) => r.name);
    for (const t of ["regions", "parameter_sets", "hospitals", "consortia", "consortium_members", "drg_weights", "claims", "enrolments", "settlement_runs", "settlement_lines", "api_keys", "audit_log"]) {
      expect(tables).toContain(t);
    }
  });
});
