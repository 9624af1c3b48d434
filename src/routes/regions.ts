import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { assertRegion } from "../auth/tenancy";
import { parameterSets, regions } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { createRouter, documented } from "../http/openapi";
import { problemFromZod } from "../http/problem";
import { authErrors, jsonContent, securedBy, writeErrors } from "../http/schemas";
import { regionYearParametersSchema } from "../payment/parameters";
import { yearParamSchema } from "../payment/vocabulary";
import { latestParameterSet } from "../db/parameters";
import { invalidateRegion } from "../preview/cache";

const regionParams = z.object({ regionId: z.string().min(1).openapi({ example: "demo" }) });
const yearParams = regionParams.extend({
  year: documented(yearParamSchema, { example: 2026 }),
});

const regionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    nameEn: z.string(),
    definitionSetId: z.string(),
    settlementDay: z.number().int(),
  })
  .openapi("Region");

const parameterSetSchema = z
  .object({
    id: z.number().int(),
    regionId: z.string(),
    year: z.number().int(),
    version: z.number().int(),
    note: z.string().nullable(),
    createdAt: z.string(),
    params: z.record(z.string(), z.unknown()),
  })
  .openapi("ParameterSet");

const getRegion = createRoute({
  method: "get",
  path: "/v1/regions/{regionId}",
  tags: ["regions"],
  summary: "A pooling region (any role of the region)",
  security: securedBy,
  middleware: [authenticate] as const,
  request: { params: regionParams },
  responses: { 200: jsonContent(regionSchema, "The region."), ...authErrors },
});

const getParameters = createRoute({
  method: "get",
  path: "/v1/regions/{regionId}/years/{year}/parameters",
  tags: ["regions"],
  summary: "The current parameter set of a region-year (rule parameters are public to the region's roles)",
  security: securedBy,
  middleware: [authenticate] as const,
  request: { params: yearParams },
  responses: { 200: jsonContent(parameterSetSchema, "The latest version of the parameter set."), ...authErrors },
});

const putParameters = createRoute({
  method: "put",
  path: "/v1/regions/{regionId}/years/{year}/parameters",
  tags: ["regions"],
  summary: "Publish a new version of a region-year's parameter set (agency)",
  description:
    "Parameter sets are never edited in place: each PUT stores a new version, and settlement runs name the version they used.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: {
    params: yearParams,
    body: {
      content: {
        "application/json": {
          schema: z.object({ note: z.string().max(500).optional(), params: z.record(z.string(), z.unknown()) }),
        },
      },
    },
  },
  responses: { 201: jsonContent(parameterSetSchema, "The stored version."), ...writeErrors },
});

export const regionRoutes = createRouter()
  .openapi(getRegion, async (c) => {
    const { regionId } = c.req.valid("param");
    assertRegion(c.var.principal, regionId);
    const region = await c.var.db.query.regions.findFirst({ where: eq(regions.id, regionId) });
    if (!region) throw new NotFoundProblem(`No region ${regionId}.`);
    const { createdAt: _, ...body } = region;
    return c.json(body, 200);
  })
  .openapi(getParameters, async (c) => {
    const { regionId, year } = c.req.valid("param");
    assertRegion(c.var.principal, regionId);
    const set = await latestParameterSet(c.var.db, regionId, year);
    if (!set) throw new NotFoundProblem(`No parameter set for ${regionId} ${year}.`);
    return c.json(withoutAuthor(set), 200);
  })
  .openapi(putParameters, async (c) => {
    const { regionId, year } = c.req.valid("param");
    assertRegion(c.var.principal, regionId);
    const body = c.req.valid("json");
    const parsed = regionYearParametersSchema.safeParse(body.params);
    if (!parsed.success) throw problemFromZod(parsed.error, "params");
    const previous = await c.var.db
      .select({ version: parameterSets.version })
      .from(parameterSets)
      .where(and(eq(parameterSets.regionId, regionId), eq(parameterSets.year, year)))
      .orderBy(desc(parameterSets.version))
      .limit(1);
    const [stored] = await c.var.db
      .insert(parameterSets)
      .values({
        regionId,
        year,
        version: (previous[0]?.version ?? 0) + 1,
        params: parsed.data as Record<string, unknown>,
        note: body.note ?? null,
        createdBy: c.var.principal.keyId,
      })
      .returning();
    invalidateRegion(regionId); // previews in this isolate use the new version at once (src/preview/cache.ts)
    c.set("auditDetail", { parameterSetId: stored!.id, version: stored!.version });
    return c.json(withoutAuthor(stored!), 201);
  });

function withoutAuthor(set: typeof parameterSets.$inferSelect) {
  const { createdBy: _, ...rest } = set;
  return rest;
}
