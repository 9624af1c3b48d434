import { createRoute, z } from "@hono/zod-openapi";
import pkg from "../../package.json";
import { definitionSetSummaries } from "../grouping/definition-sets";
import { createRouter } from "../http/openapi";
import { jsonContent } from "../http/schemas";

const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    version: z.string(),
    definitionSets: z.array(z.object({ id: z.string(), version: z.string(), label: z.string(), demonstration: z.boolean() })),
    migrations: z.object({ applied: z.number().int(), latest: z.string().nullable() }),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  tags: ["system"],
  summary: "Liveness, version, bundled definition sets and the D1 migration level",
  responses: { 200: jsonContent(healthSchema, "The Worker is up.") },
});

export const healthRoutes = createRouter().openapi(route, async (c) => {
  const migrations = await appliedMigrations(c.env.DB);
  return c.json(
    {
      status: migrations ? ("ok" as const) : ("degraded" as const),
      version: pkg.version,
      definitionSets: definitionSetSummaries(),
      migrations: migrations ?? { applied: 0, latest: null },
    },
    200,
  );
});

async function appliedMigrations(d1: D1Database) {
  try {
    const row = await d1
      .prepare("SELECT count(*) AS applied, max(name) AS latest FROM d1_migrations")
      .first<{ applied: number; latest: string | null }>();
    return row ?? undefined;
  } catch {
    return undefined; // no migrations table yet: the database was never migrated
  }
}
