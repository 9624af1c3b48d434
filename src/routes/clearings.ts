import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { assertRegion } from "../auth/tenancy";
import { clearings } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import type { AnnualClearing } from "../payment";
import { yearSchema } from "../payment/vocabulary";
import { recordDrgClearing } from "../settlement/clearing";
import { RunInputError } from "../settlement/run-inputs";

const clearingSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    year: z.number().int(),
    kind: z.string(),
    parameterSetId: z.number().int().nullable(),
    inputHash: z.string(),
    createdAt: z.string(),
    result: z.record(z.string(), z.unknown()).openapi({ description: "annual point value, per hospital: points, entitlement E_h, score, deposit return rate q(s), deduction D_h, paid monthly, clearing payment C_h" }),
  })
  .openapi("Clearing");

const postRoute = createRoute({
  method: "post",
  path: "/v1/clearings",
  tags: ["clearings"],
  summary: "Year-end DRG clearing of a region (agency), recorded",
  description:
    "RULES.md §2: allocates the annual budget over the year's points (readmission halving applied directly), deducts the part of the deposit the hospital's assessment score does not earn (scores: `PUT /v1/regions/{regionId}/years/{year}/scores`; none = score 0, flagged), and subtracts what the approved monthly runs paid. 409 when the region-year has no parameter set or weight table.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { body: { required: true, content: { "application/json": { schema: z.object({ regionId: z.string().min(1).max(64), year: yearSchema }) } } } },
  responses: {
    201: jsonContent(clearingSchema, "The recorded clearing."),
    ...writeErrors,
    409: problemContent("The region-year lacks parameters or weights."),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/clearings/{clearingId}",
  tags: ["clearings"],
  summary: "A recorded clearing (agency: all lines; hospital: its own line)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: z.object({ clearingId: z.string().min(1).max(64) }) },
  responses: { 200: jsonContent(clearingSchema, "The clearing."), ...authErrors },
});

function view(row: typeof clearings.$inferSelect, hospitalId?: string) {
  const result = row.result as { clearing?: AnnualClearing };
  const visible =
    hospitalId === undefined || !result.clearing
      ? row.result
      : { ...row.result, clearing: { ...result.clearing, lines: result.clearing.lines.filter((l) => l.hospitalId === hospitalId) } };
  return { id: row.id, regionId: row.regionId, year: row.year, kind: row.kind, parameterSetId: row.parameterSetId, inputHash: row.inputHash, createdAt: row.createdAt, result: visible as Record<string, unknown> };
}

export const clearingRoutes = createRouter()
  .openapi(postRoute, async (c) => {
    const { regionId, year } = c.req.valid("json");
    assertRegion(c.var.principal, regionId);
    const row = await recordDrgClearing(c.var.db, regionId, year, c.var.principal.keyId).catch((err) => {
      if (err instanceof RunInputError) throw new RunInputError(err.code, `Cannot clear ${regionId} ${year}: ${err.message}.`, err.issues);
      throw err;
    });
    c.set("auditDetail", { clearingId: row.id, regionId, year });
    return c.json(view(row), 201);
  })
  .openapi(getRoute, async (c) => {
    const p = c.var.principal;
    const row = await c.var.db.query.clearings.findFirst({ where: and(eq(clearings.id, c.req.valid("param").clearingId), eq(clearings.regionId, p.regionId)) });
    if (!row) throw new NotFoundProblem(`No clearing ${c.req.valid("param").clearingId}.`);
    return c.json(view(row, p.role === "hospital" ? (p.hospitalId ?? "") : undefined), 200);
  });
