import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { episodeSchema, type GroupResult } from "../../grouper";
import { authenticate } from "../auth/middleware";
import type { Database } from "../db/client";
import { regions } from "../db/schema";
import { definitionSetSummaries } from "../grouping/definition-sets";
import { grouperFor } from "../grouping/grouper-for";
import { createRouter } from "../http/openapi";
import { DomainError, zodFieldProblems } from "../payment/errors";
import { authErrors, jsonContent, securedBy, writeErrors } from "../http/schemas";

/** Documented ceiling of one batch call: large files go through the CLI or claims ingestion. */
export const GROUPER_BATCH_LIMIT = 1000;

const groupQuery = z.object({
  set: z.string().min(1).optional().openapi({ description: "Definition set id; default: the caller's region's set." }),
  explain: z.enum(["true", "false"]).optional().openapi({ description: "Include the ordered trace of rules and table rows." }),
});

const groupResultSchema = z
  .object({
    id: z.string().nullable(),
    setId: z.string(),
    setVersion: z.string(),
    status: z.enum(["grouped", "qy", "ungroupable", "rejected"]),
    mdc: z.string(),
    adrg: z.string(),
    drg: z.string(),
    drgNameZh: z.string(),
    drgNameEn: z.string(),
    flags: z.array(z.object({ edit: z.string(), detail: z.string(), rejects: z.boolean() })),
    cc: z.array(z.object({ code: z.string(), level: z.enum(["CC", "MCC"]), exclusionTable: z.string() })),
    ccExcluded: z.array(z.object({ code: z.string(), level: z.enum(["CC", "MCC"]), exclusionTable: z.string() })),
    principalExclusionTable: z.string(),
    trace: z.array(z.object({ step: z.string(), decision: z.string(), source: z.string() })).optional(),
  })
  .openapi("GroupResult");

const episodeExample = {
  id: "E-1",
  sex: "F",
  ageYears: 34,
  losDays: 4,
  principalDx: "K35.800",
  secondaryDx: [],
  procedures: ["47.0100"],
};

const groupRoute = createRoute({
  method: "post",
  path: "/v1/grouper/group",
  tags: ["grouper"],
  summary: "Group one episode (any role)",
  security: securedBy,
  middleware: [authenticate] as const,
  request: {
    query: groupQuery,
    body: { content: { "application/json": { schema: episodeSchema.openapi("Episode", { example: episodeExample }) } }, required: true },
  },
  responses: { 200: jsonContent(groupResultSchema, "The group, flags, CC/MCC evidence and (with explain) the trace."), ...writeErrors },
});

const batchItemSchema = z.union([
  z.object({ index: z.number().int(), result: groupResultSchema }),
  z.object({ index: z.number().int(), errors: z.array(z.object({ field: z.string(), reason: z.string() })) }),
]);

const batchRoute = createRoute({
  method: "post",
  path: "/v1/grouper/batch",
  tags: ["grouper"],
  summary: `Group up to ${GROUPER_BATCH_LIMIT} episodes (any role); a bad episode is reported in its place, the others are grouped`,
  security: securedBy,
  middleware: [authenticate] as const,
  request: {
    query: groupQuery,
    body: { content: { "application/json": { schema: z.object({ episodes: z.array(z.unknown()).min(1).max(GROUPER_BATCH_LIMIT) }) } }, required: true },
  },
  responses: {
    200: jsonContent(z.object({ grouped: z.number().int(), rejected: z.number().int(), items: z.array(batchItemSchema) }), "One item per submitted episode, in order."),
    ...writeErrors,
  },
});

const definitionsRoute = createRoute({
  method: "get",
  path: "/v1/definitions",
  tags: ["grouper"],
  summary: "The grouping definition sets this Worker carries",
  security: securedBy,
  middleware: [authenticate] as const,
  responses: {
    200: jsonContent(
      z.object({
        definitionSets: z.array(
          z.object({
            id: z.string(),
            version: z.string(),
            label: z.string(),
            labelZh: z.string(),
            effectiveFrom: z.string(),
            effectiveTo: z.string().nullable(),
            demonstration: z.boolean(),
            drgs: z.number().int(),
          }),
        ),
      }),
      "Bundled sets.",
    ),
    401: authErrors[401],
  },
});

export const grouperRoutes = createRouter()
  .openapi(groupRoute, async (c) => {
    const { set, explain } = c.req.valid("query");
    const { grouper } = await resolveSet(c.var.db, c.var.principal.regionId, set);
    return c.json(asBody(grouper.group(c.req.valid("json"), { explain: explain === "true" })), 200);
  })
  .openapi(batchRoute, async (c) => {
    const { set, explain } = c.req.valid("query");
    const { grouper } = await resolveSet(c.var.db, c.var.principal.regionId, set);
    const items = c.req.valid("json").episodes.map((raw, index) => {
      const parsed = episodeSchema.safeParse(raw);
      if (!parsed.success) return { index, errors: zodFieldProblems(parsed.error, `episodes[${index}]`) };
      return { index, result: asBody(grouper.group(parsed.data, { explain: explain === "true" })) };
    });
    const rejected = items.filter((i) => "errors" in i).length;
    return c.json({ grouped: items.length - rejected, rejected, items }, 200);
  })
  .openapi(definitionsRoute, (c) => c.json({ definitionSets: definitionSetSummaries() }, 200));

/** The engine's result as the response schema types it (its evidence arrays are read-only). */
function asBody(r: GroupResult): z.infer<typeof groupResultSchema> {
  return { ...r, flags: [...r.flags], cc: [...r.cc], ccExcluded: [...r.ccExcluded] };
}

/** The requested set (unknown: 404 like any missing resource), else the region's (missing: the deployment's fault). */
async function resolveSet(db: Database, regionId: string, requested: string | undefined) {
  if (requested !== undefined) {
    const loaded = grouperFor(requested);
    if (!loaded) throw new DomainError("unknown-definition-set", `No definition set ${requested} in this Worker.`);
    return loaded;
  }
  const setId = (await db.query.regions.findFirst({ where: eq(regions.id, regionId) }))?.definitionSetId;
  const loaded = setId ? grouperFor(setId) : undefined;
  if (!loaded) throw new DomainError("set-not-bundled", `The region's definition set ${setId ?? "(none configured)"} is not bundled with this Worker.`);
  return loaded;
}
