import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq, and } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { assertRegion } from "../auth/tenancy";
import { hospitals, settlementLines } from "../db/schema";
import { DomainError } from "../payment/errors";
import { createRouter, documented } from "../http/openapi";
import { authErrors, jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import { invalidateRegion } from "../preview/cache";
import { approveRun, listRuns, runInRegion, startRun, type RunRow } from "../settlement/runs";
import { statementsCsv, statementView, type StatementLine } from "../settlement/statements";
import type { Database } from "../db/client";
import type { Principal } from "../auth/principal";
import { isFinishedRun, monthSchema, runStatusSchema } from "../payment/vocabulary";

const period = documented(monthSchema, { example: "2026-10" });

const runSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    period: z.string(),
    status: runStatusSchema,
    progress: z.object({ episodesDone: z.number().int(), episodesTotal: z.number().int() }),
    parameterSetId: z.number().int().nullable(),
    definitionSetId: z.string().nullable(),
    definitionVersion: z.string().nullable(),
    inputHash: z.string().nullable(),
    outputHash: z.string().nullable(),
    totals: z.record(z.string(), z.unknown()).nullable().openapi({ description: "budget, pool, total points, point value, per-method totals (DRG, per-diem); when completed" }),
    error: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
  })
  .openapi("SettlementRun");

function runView(r: RunRow): z.infer<typeof runSchema> {
  return {
    id: r.id,
    regionId: r.regionId,
    period: r.period,
    status: r.status,
    progress: { episodesDone: r.episodesDone, episodesTotal: r.episodesTotal },
    parameterSetId: r.parameterSetId,
    definitionSetId: r.definitionSetId,
    definitionVersion: r.definitionVersion,
    inputHash: r.inputHash,
    outputHash: r.outputHash,
    totals: isFinishedRun(r.status) ? (r.totals ?? null) : null,
    error: r.error,
    createdAt: r.createdAt,
    completedAt: r.completedAt,
    approvedAt: r.approvedAt,
  };
}

const statementSchema = z
  .object({
    hospitalId: z.string(),
    hospitalName: z.string().nullable(),
    hospitalNameEn: z.string().nullable(),
    points: z.string(),
    pointsByClass: z.record(z.string(), z.string()),
    pointValue: z.string().nullable(),
    drgEpisodes: z.number().int(),
    perDiemEpisodes: z.number().int(),
    drgShareFen: z.number().int(),
    drgPatientPaidFen: z.number().int(),
    drgPaymentFen: z.number().int(),
    perDiemStandardFen: z.number().int(),
    perDiemPaymentFen: z.number().int(),
    depositFen: z.number().int(),
    netPayableFen: z.number().int(),
    flags: z.record(z.string(), z.number().int()),
  })
  .openapi("Statement");

const runParams = z.object({ runId: z.string().min(1).max(64) });

const startRoute = createRoute({
  method: "post",
  path: "/v1/settlements",
  tags: ["settlements"],
  summary: "Start the monthly pre-settlement run of a region-period (agency)",
  description:
    "Starts a durable Workflow: snapshot the inputs (claims current now, parameter set, weights, grouping set), price the episodes in chunks, allocate the month's budget (RULES.md §2) and build the statements. Poll `GET /v1/settlements/{runId}` for progress. 409 when the month has not ended yet (the current or a future month, RULES.md §2), when a run of the period is in progress, or when the period has an approved run (an approved period is closed). Re-running an unchanged period gives a new run with the same input and output hashes.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { body: { required: true, content: { "application/json": { schema: z.object({ regionId: z.string().min(1).max(64), period }) } } } },
  responses: {
    202: jsonContent(runSchema, "The run, started."),
    ...writeErrors,
    409: problemContent("The month has not ended, a run of the period is in progress, or the period is approved."),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/settlements",
  tags: ["settlements"],
  summary: "Runs of a region, newest first (agency; hospital: runs of its region)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: z.object({ regionId: z.string().min(1).max(64), period: period.optional() }) },
  responses: { 200: jsonContent(z.object({ runs: z.array(runSchema) }), "The runs."), ...authErrors, 400: writeErrors[400] },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/settlements/{runId}",
  tags: ["settlements"],
  summary: "A run: status, progress and, when finished, totals and hashes",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: runParams },
  responses: { 200: jsonContent(runSchema, "The run."), ...authErrors },
});

const conflict409 = { 409: problemContent("The run is not completed (or approved) yet.") };

const statementsRoute = createRoute({
  method: "get",
  path: "/v1/settlements/{runId}/statements",
  tags: ["settlements"],
  summary: "Statements of a finished run (agency: every hospital; hospital: its own)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: runParams },
  responses: { 200: jsonContent(z.object({ runId: z.string(), period: z.string(), status: z.string(), statements: z.array(statementSchema) }), "Per-hospital statements."), ...authErrors, ...conflict409 },
});

const csvRoute = createRoute({
  method: "get",
  path: "/v1/settlements/{runId}/statements.csv",
  tags: ["settlements"],
  summary: "Statements as CSV for Excel (UTF-8 BOM, yuan with two decimals, Chinese and English headers)",
  description: "Cells that would start a formula (= + - @) are prefixed with an apostrophe; plain numbers are written as numbers.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: runParams },
  responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...authErrors, ...conflict409 },
});

const approveRoute = createRoute({
  method: "post",
  path: "/v1/settlements/{runId}/approve",
  tags: ["settlements"],
  summary: "Approve a completed run (agency): freezes it and closes the period",
  description: "409 for a run that is not completed, for an empty run (no episodes: approving it would close the month with nothing paid), and when the period already has an approved run.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { params: runParams },
  responses: {
    200: jsonContent(runSchema, "The approved run."),
    ...authErrors,
    409: problemContent("Not completed, empty, already approved, or the period already has an approved run."),
  },
});

async function statementsOf(db: Database, p: Principal, run: RunRow) {
  if (!isFinishedRun(run.status)) throw new DomainError("run-not-completed", `Run ${run.id} is ${run.status}; statements exist for completed and approved runs only.`);
  const rows = await db
    .select({ line: settlementLines, name: hospitals.name, nameEn: hospitals.nameEn })
    .from(settlementLines)
    .innerJoin(hospitals, eq(hospitals.id, settlementLines.hospitalId))
    .where(and(eq(settlementLines.runId, run.id), p.role === "hospital" ? eq(settlementLines.hospitalId, p.hospitalId ?? "") : undefined))
    .orderBy(asc(settlementLines.hospitalId));
  const pointValue = (run.totals?.["pointValue"] as string | null | undefined) ?? null;
  return rows.map((r) => statementView(r.line as StatementLine, r, pointValue));
}

export const settlementRoutes = createRouter()
  .openapi(startRoute, async (c) => {
    const body = c.req.valid("json");
    assertRegion(c.var.principal, body.regionId);
    const run = await startRun(c.var.db, c.env.SETTLEMENT_RUN, { ...body, createdBy: c.var.principal.keyId, now: c.var.now });
    c.set("auditDetail", { runId: run.id, regionId: run.regionId, period: run.period });
    return c.json(runView(run), 202);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    assertRegion(c.var.principal, q.regionId);
    return c.json({ runs: (await listRuns(c.var.db, q.regionId, q.period)).map(runView) }, 200);
  })
  .openapi(getRoute, async (c) => c.json(runView(await runInRegion(c.var.db, c.var.principal.regionId, c.req.valid("param").runId)), 200))
  .openapi(statementsRoute, async (c) => {
    const run = await runInRegion(c.var.db, c.var.principal.regionId, c.req.valid("param").runId);
    return c.json({ runId: run.id, period: run.period, status: run.status, statements: await statementsOf(c.var.db, c.var.principal, run) }, 200);
  })
  .openapi(csvRoute, async (c) => {
    const run = await runInRegion(c.var.db, c.var.principal.regionId, c.req.valid("param").runId);
    const body = statementsCsv(run.period, await statementsOf(c.var.db, c.var.principal, run));
    return c.body(body, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="statements-${run.regionId}-${run.period}.csv"` });
  })
  .openapi(approveRoute, async (c) => {
    const run = await approveRun(c.var.db, c.var.principal.regionId, c.req.valid("param").runId, c.var.principal.keyId);
    invalidateRegion(run.regionId); // the preview's point value is the latest approved run's (src/preview/cache.ts)
    c.set("auditDetail", { runId: run.id, period: run.period });
    return c.json(runView(run), 200);
  });
