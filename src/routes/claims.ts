import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gt } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import type { Principal } from "../auth/principal";
import { claims } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import { INGEST_SEMANTICS, ingestReportSchema, uploadBody } from "../http/upload";
import { readBatchRecords, uploadFormatOf } from "../settlement/batch-lines";
import { CLAIM_CSV_COLUMNS, CLAIM_CSV_TYPES } from "../settlement/claim-schema";
import { ingestClaims } from "../settlement/ingestion";
import { screenUpload } from "../supervision/screening";
import { monthSchema, recordStatusSchema } from "../payment/vocabulary";

const claimSchema = z
  .object({
    claimId: z.string(),
    version: z.number().int(),
    status: recordStatusSchema,
    hospitalId: z.string(),
    personId: z.string(),
    scheme: z.string(),
    wardCategory: z.string(),
    admissionDate: z.string(),
    dischargeDate: z.string().nullable(),
    periodStart: z.string().nullable(),
    periodEnd: z.string().nullable(),
    settlementMonth: z.string(),
    losDays: z.number().int(),
    principalDx: z.string(),
    secondaryDx: z.array(z.string()),
    procedures: z.array(z.string()),
    totalCostFen: z.number().int(),
    patientPaidFen: z.number().int(),
    plannedReadmission: z.boolean(),
    contentHash: z.string(),
    grouping: z.object({
      mdc: z.string().nullable(),
      adrg: z.string().nullable(),
      drg: z.string().nullable(),
      setId: z.string().nullable(),
      version: z.string().nullable(),
      flags: z.array(z.string()),
    }),
    createdAt: z.string(),
  })
  .openapi("Claim");

function claimView(r: typeof claims.$inferSelect): z.infer<typeof claimSchema> {
  return {
    claimId: r.claimId,
    version: r.version,
    status: r.status,
    hospitalId: r.hospitalId,
    personId: r.personId,
    scheme: r.scheme,
    wardCategory: r.wardCategory,
    admissionDate: r.admissionDate,
    dischargeDate: r.dischargeDate,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    settlementMonth: r.settlementMonth,
    losDays: r.losDays,
    principalDx: r.principalDx,
    secondaryDx: r.secondaryDx,
    procedures: r.procedures,
    totalCostFen: r.totalCostFen,
    patientPaidFen: r.patientPaidFen,
    plannedReadmission: r.plannedReadmission,
    contentHash: r.contentHash,
    grouping: { mdc: r.mdc, adrg: r.adrg, drg: r.drg, setId: r.groupingSetId, version: r.groupingVersion, flags: r.groupingFlags ?? [] },
    createdAt: r.createdAt,
  };
}

const postRoute = createRoute({
  method: "post",
  path: "/v1/claims",
  tags: ["claims"],
  summary: "Submit inpatient claims as NDJSON or CSV (hospital: its own; agency: its region)",
  description: `Each line is one claim, validated on its own and grouped on arrival with the region's definition set.

Fields (NDJSON keys = CSV columns, CSV header row required, order free): ${CLAIM_CSV_COLUMNS.map((c) => `\`${c}\``).join(", ")}. Required: ${CLAIM_CSV_TYPES.required.join(", ")}; plus either \`dischargeDate\` (final claim) or \`periodStart\`+\`periodEnd\` within one month (interim claim of an ongoing long stay). Money in integer fen. In CSV, empty cells are absent, \`secondaryDx\`/\`procedures\` separate codes with \`|\`, \`plannedReadmission\` is true/false/1/0. UTF-8 with or without BOM.

${INGEST_SEMANTICS}

A hospital key's line for another hospital is rejected (that line only). A claim id belongs to one hospital.`,
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { body: uploadBody("NDJSON (`application/x-ndjson`) or CSV (`text/csv`) claims, up to 32 MiB.") },
  responses: {
    200: jsonContent(ingestReportSchema, "The line-by-line report."),
    ...writeErrors,
    415: problemContent("Neither NDJSON nor CSV."),
  },
});

const listQuery = z.object({
  month: monthSchema
    .optional()
    .openapi({ example: "2026-10", description: "settlement month" }),
  hospitalId: z.string().min(1).max(32).optional(),
  after: z.coerce.number().int().min(0).optional().openapi({ description: "cursor: `next` of the previous page" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/claims",
  tags: ["claims"],
  summary: "Current claims, paged (agency: region; hospital: its own)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: listQuery },
  responses: {
    200: jsonContent(z.object({ claims: z.array(claimSchema), next: z.number().int().nullable() }), "A page of current claims in submission order."),
    ...authErrors,
    400: writeErrors[400],
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/claims/{claimId}",
  tags: ["claims"],
  summary: "All versions of one claim, newest first",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: z.object({ claimId: z.string().min(1).max(64) }) },
  responses: { 200: jsonContent(z.object({ claimId: z.string(), versions: z.array(claimSchema) }), "The claim's versions."), ...authErrors },
});

/** A hospital key sees its own claims only; another tenant's claim is "not found". */
function hospitalScope(p: Principal) {
  return p.role === "hospital" ? p.hospitalId ?? "" : undefined;
}

export const claimRoutes = createRouter()
  .openapi(postRoute, async (c) => {
    const format = uploadFormatOf(c.req.header("content-type"));
    const report = await ingestClaims(c.var.db, c.var.principal, readBatchRecords(c.req.raw.body, format, { columns: CLAIM_CSV_COLUMNS, ...CLAIM_CSV_TYPES }));
    const flagged = await screenUpload(c.var.db, c.var.principal.regionId, [...report.accepted, ...report.superseded].map((l) => l.id));
    c.set("auditDetail", { format, submitted: report.submitted, ...report.counts, flagged });
    return c.json(report, 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const p = c.var.principal;
    const own = hospitalScope(p);
    if (own !== undefined && q.hospitalId !== undefined && q.hospitalId !== own) throw new NotFoundProblem(`No hospital ${q.hospitalId}.`);
    const hospitalId = own ?? q.hospitalId;
    const rows = await c.var.db
      .select()
      .from(claims)
      .where(
        and(
          eq(claims.regionId, p.regionId),
          eq(claims.status, "current"),
          q.month ? eq(claims.settlementMonth, q.month) : undefined,
          hospitalId ? eq(claims.hospitalId, hospitalId) : undefined,
          q.after !== undefined ? gt(claims.id, q.after) : undefined,
        ),
      )
      .orderBy(asc(claims.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    return c.json({ claims: page.map(claimView), next: rows.length > q.limit ? page[page.length - 1]!.id : null }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { claimId } = c.req.valid("param");
    const p = c.var.principal;
    const own = hospitalScope(p);
    const rows = await c.var.db
      .select()
      .from(claims)
      .where(and(eq(claims.regionId, p.regionId), eq(claims.claimId, claimId), own !== undefined ? eq(claims.hospitalId, own) : undefined))
      .orderBy(desc(claims.version));
    if (rows.length === 0) throw new NotFoundProblem(`No claim ${claimId}.`);
    return c.json({ claimId, versions: rows.map(claimView) }, 200);
  });
