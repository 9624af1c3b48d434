import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { assertRegion } from "../auth/tenancy";
import { clearings } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import type { AnnualClearing } from "../payment";
import { clearDrgYear, type ClearingRow } from "../settlement/clearing";
import { yearSchema } from "../payment/vocabulary";
import { RunInputError } from "../settlement/run-inputs";

const clearingSchema = z
  .object({
    id: z.string().nullable().openapi({ description: "null for a trial: it is not recorded" }),
    final: z.boolean().openapi({ description: "false: a trial (模拟清算), computed while a month of the year has no approved run (RULES.md §2)" }),
    missingMonths: z.array(z.string()).openapi({ description: "months of the year without an approved run; empty for the final clearing" }),
    regionId: z.string(),
    year: z.number().int(),
    kind: z.string(),
    parameterSetId: z.number().int().nullable(),
    subjectId: z.string().nullable().openapi({ description: "the consortium or capitation contractor; null for the DRG clearing" }),
    inputHash: z.string(),
    createdAt: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).openapi({ description: "annual point value, per hospital: points, entitlement E_h, score, deposit return rate q(s), deduction D_h, paid monthly, clearing payment C_h" }),
  })
  .openapi("Clearing");

const postRoute = createRoute({
  method: "post",
  path: "/v1/clearings",
  tags: ["clearings"],
  summary: "Year-end DRG clearing of a region (agency): final and recorded once all twelve months are approved, else a trial",
  description:
    "RULES.md §2: allocates the annual budget over the year's points (readmission halving applied directly), deducts the part of the deposit the hospital's assessment score does not earn (scores: `PUT /v1/regions/{regionId}/years/{year}/scores`; none = score 0, flagged), and subtracts what the approved monthly runs paid. " +
    "While a month of the year has no approved run the answer is a trial (200, `final: false`, `missingMonths`), shown and never recorded. With all twelve approved it is the final clearing (201), recorded once per region-year: 409 afterwards, naming the recorded one. 409 also when the region-year has no parameter set or weight table.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { body: { required: true, content: { "application/json": { schema: z.object({ regionId: z.string().min(1).max(64), year: yearSchema }) } } } },
  responses: {
    200: jsonContent(clearingSchema, "A trial clearing, not recorded."),
    201: jsonContent(clearingSchema, "The recorded final clearing."),
    ...writeErrors,
    409: problemContent("Already recorded, or the region-year lacks parameters or weights."),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/clearings",
  tags: ["clearings"],
  summary: "The region's recorded clearings (DRG and budget accounts), by year (agency: all lines; hospital: its own line)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional().openapi({ example: 2026 }) }) },
  responses: { 200: jsonContent(z.object({ regionId: z.string(), clearings: z.array(clearingSchema) }), "The recorded clearings, oldest year first."), ...authErrors, 400: writeErrors[400] },
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

type Shown = Omit<ClearingRow, "id" | "createdAt" | "createdBy"> & { id: string | null; createdAt: string | null };

/** A clearing as shown: a hospital sees only its own line of a DRG clearing, and only its own account clearings. */
function view(row: Shown, missingMonths: string[], hospitalId?: string) {
  const result = row.result as { clearing?: AnnualClearing };
  const visible =
    hospitalId === undefined || !result.clearing
      ? row.result
      : { ...row.result, clearing: { ...result.clearing, lines: result.clearing.lines.filter((l) => l.hospitalId === hospitalId) } };
  return {
    id: row.id,
    final: row.id !== null,
    missingMonths,
    regionId: row.regionId,
    year: row.year,
    kind: row.kind,
    subjectId: row.subjectId,
    parameterSetId: row.parameterSetId,
    inputHash: row.inputHash,
    createdAt: row.createdAt,
    result: visible as Record<string, unknown>,
  };
}

const visibleTo = (hospitalId: string | undefined) => (row: ClearingRow) => hospitalId === undefined || row.kind === "drg" || row.subjectId === hospitalId;

export const clearingRoutes = createRouter()
  .openapi(postRoute, async (c) => {
    const { regionId, year } = c.req.valid("json");
    assertRegion(c.var.principal, regionId);
    const clearing = await clearDrgYear(c.var.db, regionId, year, c.var.principal.keyId).catch((err: unknown) => {
      if (err instanceof RunInputError) throw new RunInputError(err.code, `Cannot clear ${regionId} ${year}: ${err.message}.`, err.issues);
      throw err;
    });
    if (!clearing.final) {
      c.set("auditDetail", { trial: true, regionId, year, missingMonths: clearing.missingMonths });
      return c.json(view({ ...clearing.row, id: null, createdAt: null }, clearing.missingMonths), 200);
    }
    c.set("auditDetail", { clearingId: clearing.row.id, regionId, year });
    return c.json(view(clearing.row, []), 201);
  })
  .openapi(listRoute, async (c) => {
    const p = c.var.principal;
    const { year } = c.req.valid("query");
    const rows = await c.var.db
      .select()
      .from(clearings)
      .where(and(eq(clearings.regionId, p.regionId), year === undefined ? undefined : eq(clearings.year, year)))
      .orderBy(asc(clearings.year), asc(clearings.kind), asc(clearings.subjectId));
    const hospitalId = p.role === "hospital" ? (p.hospitalId ?? "") : undefined;
    return c.json({ regionId: p.regionId, clearings: rows.filter(visibleTo(hospitalId)).map((r) => view(r, [], hospitalId)) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const p = c.var.principal;
    const row = await c.var.db.query.clearings.findFirst({ where: and(eq(clearings.id, c.req.valid("param").clearingId), eq(clearings.regionId, p.regionId)) });
    const hospitalId = p.role === "hospital" ? (p.hospitalId ?? "") : undefined;
    if (!row || !visibleTo(hospitalId)(row)) throw new NotFoundProblem(`No clearing ${c.req.valid("param").clearingId}.`);
    return c.json(view(row, [], hospitalId), 200);
  });
