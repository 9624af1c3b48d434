/**
 * The agency's monthly review over HTTP (RULES.md §7, §8): special-case review
 * requests, the supervision review queue, confirmed violations, appeals, and
 * the decisions a settlement run applied. Hospitals request, withdraw and
 * appeal, and see only their own; only the agency decides; consortium keys see
 * none of it. Every write is audit-logged (key, time, status) with its reason
 * in the detail.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { appealStatuses, flagStatuses, reviewStatuses, runDecisions } from "../db/schema";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, problemContent, securedBy, writeErrors } from "../http/schemas";
import { formatPoints, SCREEN_RULES } from "../payment";
import { runInRegion } from "../settlement/runs";
import { hospitalScope } from "../supervision/case-episode";
import { decideAppeal, fileAppeal, listAppeals, appealVisibleTo, type AppealRow } from "../supervision/appeals";
import { decideReview, listReviews, requestReview, reviewVisibleTo, withdrawReview, type ReviewRow } from "../supervision/reviews";
import { confirmViolation, decideFlag, flagInRegion, listFlags, listViolations, violationVisibleTo, type FlagRow, type ViolationRow } from "../supervision/violations";

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM").openapi({ example: "2026-10" });
const id = z.string().min(1).max(64);
const reason = z.string().trim().min(1).max(2000).openapi({ description: "why: kept with the decision and in the audit log" });
const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const conflict = (text: string) => ({ 409: problemContent(text) });
const unprocessable = { 422: problemContent("The decision cannot apply to the episode under the region's rules (e.g. approvedFen above the total cost, an unknown kind or DRG); `errors` names the field.") };

const reviewSchema = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    claimId: z.string(),
    month: z.string(),
    reason: z.string(),
    claimedFen: z.number().int(),
    status: z.enum(reviewStatuses),
    approvedFen: z.number().int().nullable(),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("ReviewRequest");
const reviewView = (r: ReviewRow): z.infer<typeof reviewSchema> => ({
  id: r.id,
  hospitalId: r.hospitalId,
  claimId: r.claimId,
  month: r.month,
  reason: r.reason,
  claimedFen: r.claimedFen,
  status: r.status,
  approvedFen: r.approvedFen,
  decisionReason: r.decisionReason,
  decidedAt: r.decidedAt,
  version: r.version,
  createdAt: r.createdAt,
});

const flagSchema = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    claimId: z.string().nullable(),
    month: z.string(),
    rule: z.enum(SCREEN_RULES),
    parameters: z.record(z.string(), z.unknown()),
    evidence: z.record(z.string(), z.unknown()),
    status: z.enum(flagStatuses),
    source: z.string(),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
  })
  .openapi("SupervisionFlag");
const flagView = (f: FlagRow): z.infer<typeof flagSchema> => ({
  id: f.id,
  hospitalId: f.hospitalId,
  claimId: f.claimId,
  month: f.month,
  rule: f.rule as z.infer<typeof flagSchema>["rule"],
  parameters: f.parameters,
  evidence: f.evidence,
  status: f.status,
  source: f.source,
  decisionReason: f.decisionReason,
  decidedAt: f.decidedAt,
});

const violationSchema = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    claimId: z.string(),
    month: z.string(),
    flagId: z.string().nullable(),
    kind: z.string(),
    serious: z.boolean(),
    correctedDrg: z.string().nullable(),
    reason: z.string(),
    status: z.enum(["confirmed", "reversed"]),
    version: z.number().int(),
    decidedAt: z.string(),
  })
  .openapi("Violation");
const violationView = (v: ViolationRow): z.infer<typeof violationSchema> => ({
  id: v.id,
  hospitalId: v.hospitalId,
  claimId: v.claimId,
  month: v.month,
  flagId: v.flagId,
  kind: v.kind,
  serious: v.serious,
  correctedDrg: v.correctedDrg,
  reason: v.reason,
  status: v.status,
  version: v.version,
  decidedAt: v.decidedAt,
});

const appealSchema = z
  .object({
    id: z.string(),
    hospitalId: z.string(),
    subjectKind: z.enum(["violation", "review"]),
    subjectId: z.string(),
    evidence: z.string(),
    files: z.array(z.string()),
    status: z.enum(appealStatuses),
    approvedFen: z.number().int().nullable(),
    decisionReason: z.string().nullable(),
    decidedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Appeal");
const appealView = (a: AppealRow): z.infer<typeof appealSchema> => ({
  id: a.id,
  hospitalId: a.hospitalId,
  subjectKind: a.subjectKind,
  subjectId: a.subjectId,
  evidence: a.evidence,
  files: a.files,
  status: a.status,
  approvedFen: a.approvedFen,
  decisionReason: a.decisionReason,
  decidedAt: a.decidedAt,
  createdAt: a.createdAt,
});

const violationBody = z.object({
  kind: z.string().min(1).max(40).openapi({ description: "a key of the region's parameters.supervision.violationKinds", example: "split-stay" }),
  serious: z.boolean().optional(),
  correctedDrg: z.string().min(1).max(16).optional().openapi({ description: "the DRG the agency sets (upcoding)" }),
  reason,
});


const requestReviewRoute = createRoute({
  method: "post",
  path: "/v1/reviews",
  tags: ["review"],
  summary: "Request special-case review (特例单议) of one of the hospital's own DRG-paid episodes (hospital)",
  description: "RULES.md §7. One open or accepted request per episode (409 otherwise); per-diem and interim claims are not DRG-paid (409).",
  security: securedBy,
  middleware: [authenticate, requireRole("hospital")] as const,
  request: { body: { required: true, content: { "application/json": { schema: z.object({ claimId: id, reason, claimedFen: fen.openapi({ description: "the additional cost claimed, fen" }) }) } } } },
  responses: { 201: jsonContent(reviewSchema, "The open request."), ...writeErrors, ...conflict("The episode already has an open or accepted request, is not DRG-paid, or the claimed cost exceeds its total cost.") },
});

const listReviewsRoute = createRoute({
  method: "get",
  path: "/v1/reviews",
  tags: ["review"],
  summary: "Review requests (agency: the region's; hospital: its own), newest first",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: z.object({ month: month.optional(), hospitalId: id.optional(), status: z.enum(reviewStatuses).optional() }) },
  responses: { 200: jsonContent(z.object({ reviews: z.array(reviewSchema) }), "The requests."), ...authErrors, 400: writeErrors[400] },
});

const reviewParams = z.object({ reviewId: id });
const getReviewRoute = createRoute({
  method: "get",
  path: "/v1/reviews/{reviewId}",
  tags: ["review"],
  summary: "One review request",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: reviewParams },
  responses: { 200: jsonContent(reviewSchema, "The request."), ...authErrors },
});

const withdrawRoute = createRoute({
  method: "post",
  path: "/v1/reviews/{reviewId}/withdraw",
  tags: ["review"],
  summary: "Withdraw an open request (hospital: its own)",
  security: securedBy,
  middleware: [authenticate, requireRole("hospital")] as const,
  request: { params: reviewParams },
  responses: { 200: jsonContent(reviewSchema, "The withdrawn request."), ...writeErrors, ...conflict("The request is no longer open.") },
});

const decideReviewRoute = createRoute({
  method: "post",
  path: "/v1/reviews/{reviewId}/decision",
  tags: ["review"],
  summary: "Accept with an approved additional cost, or reject (agency)",
  description:
    "RULES.md §7. The cap per hospital and month, max(reviewMinPerMonth, floor(reviewCapShare × n)), is enforced here: an acceptance beyond it is 409 naming the cap and the count, and the request is recorded `refused` (the hospital may appeal). Reviewed points count in the first run that starts after the decision: in the episode's month while it is not approved, otherwise as an adjustment in the month being run.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: {
    params: reviewParams,
    body: { required: true, content: { "application/json": { schema: z.object({ decision: z.enum(["accept", "reject"]), approvedFen: fen.optional().openapi({ description: "A, the approved additional cost (the approved cost for an ungroupable episode); required to accept" }), reason }) } } },
  },
  responses: { 200: jsonContent(reviewSchema, "The decided request."), ...writeErrors, ...unprocessable, ...conflict("Not open, no approvedFen to accept, or the cap is reached (named with the count).") },
});

const listFlagsRoute = createRoute({
  method: "get",
  path: "/v1/flags",
  tags: ["review"],
  summary: "The supervision review queue: screen flags by month, hospital and rule (agency; hospital: its own)",
  description: "RULES.md §8 screens, run on ingestion and in each settlement run. Each flag names its rule, the parameters it used and its evidence.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: z.object({ month: month.optional(), hospitalId: id.optional(), rule: z.enum(SCREEN_RULES).optional(), status: z.enum(flagStatuses).optional() }) },
  responses: { 200: jsonContent(z.object({ flags: z.array(flagSchema) }), "The flags."), ...authErrors, 400: writeErrors[400] },
});

const flagParams = z.object({ flagId: id });
const decideFlagRoute = createRoute({
  method: "post",
  path: "/v1/flags/{flagId}/decision",
  tags: ["review"],
  summary: "Confirm a flag as a violation of a kind, or dismiss it, with a reason (agency)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: {
    params: flagParams,
    body: { required: true, content: { "application/json": { schema: violationBody.partial({ kind: true }).extend({ decision: z.enum(["confirm", "dismiss"]) }) } } },
  },
  responses: {
    200: jsonContent(z.object({ flag: flagSchema, violation: violationSchema.nullable() }), "The decided flag and, when confirmed, the violation."),
    ...writeErrors,
    ...unprocessable,
    ...conflict("The flag is decided already, names no episode (hospital-level signal), or the episode has a confirmed violation."),
  },
});

const confirmRoute = createRoute({
  method: "post",
  path: "/v1/violations",
  tags: ["review"],
  summary: "Confirm any episode as a violation (agency)",
  description: "RULES.md §8: the episode's points change and the deduction is subtracted from the hospital's points in the month being run by the next run (an adjustment when the episode's month is approved).",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { body: { required: true, content: { "application/json": { schema: violationBody.extend({ claimId: id }) } } } },
  responses: { 201: jsonContent(violationSchema, "The confirmed violation."), ...writeErrors, ...unprocessable, ...conflict("The episode already has a confirmed violation, or is not DRG-paid.") },
});

const listViolationsRoute = createRoute({
  method: "get",
  path: "/v1/violations",
  tags: ["review"],
  summary: "Confirmed (and reversed) violations (agency; hospital: its own)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: z.object({ month: month.optional(), hospitalId: id.optional() }) },
  responses: { 200: jsonContent(z.object({ violations: z.array(violationSchema) }), "The violations."), ...authErrors, 400: writeErrors[400] },
});

const getViolationRoute = createRoute({
  method: "get",
  path: "/v1/violations/{violationId}",
  tags: ["review"],
  summary: "One violation",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: z.object({ violationId: id }) },
  responses: { 200: jsonContent(violationSchema, "The violation."), ...authErrors },
});

const fileAppealRoute = createRoute({
  method: "post",
  path: "/v1/appeals",
  tags: ["review"],
  summary: "Appeal a confirmed violation or a rejected or refused review within appealDays (hospital)",
  description: "RULES.md §8. One appeal per decision: after it the decision is final (409 on a second appeal).",
  security: securedBy,
  middleware: [authenticate, requireRole("hospital")] as const,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            subjectKind: z.enum(["violation", "review"]),
            subjectId: id,
            evidence: z.string().trim().min(1).max(10_000),
            files: z.array(z.string().min(1).max(500)).max(20).optional().openapi({ description: "references to evidence files the hospital holds" }),
          }),
        },
      },
    },
  },
  responses: { 201: jsonContent(appealSchema, "The open appeal."), ...writeErrors, ...conflict("Appealed already (final), not appealable in its status, or the appeal window has closed.") },
});

const listAppealsRoute = createRoute({
  method: "get",
  path: "/v1/appeals",
  tags: ["review"],
  summary: "Appeals (agency: the region's; hospital: its own)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { query: z.object({ status: z.enum(appealStatuses).optional(), hospitalId: id.optional() }) },
  responses: { 200: jsonContent(z.object({ appeals: z.array(appealSchema) }), "The appeals."), ...authErrors, 400: writeErrors[400] },
});

const appealParams = z.object({ appealId: id });
const getAppealRoute = createRoute({
  method: "get",
  path: "/v1/appeals/{appealId}",
  tags: ["review"],
  summary: "One appeal",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: appealParams },
  responses: { 200: jsonContent(appealSchema, "The appeal."), ...authErrors },
});

const decideAppealRoute = createRoute({
  method: "post",
  path: "/v1/appeals/{appealId}/decision",
  tags: ["review"],
  summary: "Uphold or reverse an appeal, with a reason (agency)",
  description: "A reversal counts like a §7 decision: a violation is reversed (its points restored, as an adjustment when the month is approved); a review is accepted with `approvedFen`, within the cap.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { params: appealParams, body: { required: true, content: { "application/json": { schema: z.object({ decision: z.enum(["uphold", "reverse"]), approvedFen: fen.optional(), reason }) } } } },
  responses: { 200: jsonContent(appealSchema, "The decided appeal."), ...writeErrors, ...unprocessable, ...conflict("Decided already (final), no approvedFen to accept a review, or the cap is reached.") },
});

const runDecisionSchema = z
  .object({
    claimId: z.string(),
    hospitalId: z.string(),
    month: z.string(),
    mode: z.enum(["in-month", "adjustment"]),
    decisions: z.object({
      review: z.object({ id: z.string(), version: z.number().int(), approvedFen: z.number().int() }).optional(),
      violation: z.object({ id: z.string(), version: z.number().int(), kind: z.string(), serious: z.boolean(), correctedDrg: z.string().nullable() }).optional(),
    }),
    pointsDelta: z.string().nullable().openapi({ description: "points the decisions moved for the hospital in this run (4 places)" }),
  })
  .openapi("RunDecision");

const runDecisionsRoute = createRoute({
  method: "get",
  path: "/v1/settlements/{runId}/decisions",
  tags: ["settlements"],
  summary: "The §7/§8 decisions a run applied, fixed at its snapshot (agency; hospital: its own)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: z.object({ runId: id }) },
  responses: { 200: jsonContent(z.object({ runId: z.string(), decisions: z.array(runDecisionSchema) }), "The applied decisions."), ...authErrors },
});

const points = (units: number | null) => (units === null ? null : formatPoints(units));

export const supervisionRoutes = createRouter()
  .openapi(requestReviewRoute, async (c) => {
    const r = await requestReview(c.var.db, c.var.principal, c.req.valid("json"));
    c.set("auditDetail", { reviewId: r.id, claimId: r.claimId, claimedFen: r.claimedFen, reason: r.reason });
    return c.json(reviewView(r), 201);
  })
  .openapi(listReviewsRoute, async (c) => c.json({ reviews: (await listReviews(c.var.db, c.var.principal, c.req.valid("query"))).map(reviewView) }, 200))
  .openapi(getReviewRoute, async (c) => c.json(reviewView(await reviewVisibleTo(c.var.db, c.var.principal, c.req.valid("param").reviewId)), 200))
  .openapi(withdrawRoute, async (c) => {
    const r = await withdrawReview(c.var.db, c.var.principal, c.req.valid("param").reviewId);
    c.set("auditDetail", { reviewId: r.id, claimId: r.claimId, status: r.status });
    return c.json(reviewView(r), 200);
  })
  .openapi(decideReviewRoute, async (c) => {
    const { reviewId } = c.req.valid("param");
    const body = c.req.valid("json");
    c.set("auditDetail", { reviewId, ...body });
    const r = await decideReview(c.var.db, c.var.principal, reviewId, body);
    return c.json(reviewView(r), 200);
  })
  .openapi(listFlagsRoute, async (c) => c.json({ flags: (await listFlags(c.var.db, c.var.principal, c.req.valid("query"))).map(flagView) }, 200))
  .openapi(decideFlagRoute, async (c) => {
    const { flagId } = c.req.valid("param");
    const body = c.req.valid("json");
    c.set("auditDetail", { flagId, ...body });
    await flagInRegion(c.var.db, c.var.principal, flagId);
    const out = await decideFlag(c.var.db, c.var.principal, flagId, body);
    return c.json({ flag: flagView(out.flag), violation: out.violation ? violationView(out.violation) : null }, 200);
  })
  .openapi(confirmRoute, async (c) => {
    const { claimId, ...v } = c.req.valid("json");
    c.set("auditDetail", { claimId, ...v });
    const row = await confirmViolation(c.var.db, c.var.principal, claimId, v);
    return c.json(violationView(row), 201);
  })
  .openapi(listViolationsRoute, async (c) => c.json({ violations: (await listViolations(c.var.db, c.var.principal, c.req.valid("query"))).map(violationView) }, 200))
  .openapi(getViolationRoute, async (c) => c.json(violationView(await violationVisibleTo(c.var.db, c.var.principal, c.req.valid("param").violationId)), 200))
  .openapi(fileAppealRoute, async (c) => {
    const body = c.req.valid("json");
    c.set("auditDetail", { subjectKind: body.subjectKind, subjectId: body.subjectId, evidence: body.evidence.slice(0, 500), files: body.files ?? [] });
    return c.json(appealView(await fileAppeal(c.var.db, c.var.principal, body)), 201);
  })
  .openapi(listAppealsRoute, async (c) => c.json({ appeals: (await listAppeals(c.var.db, c.var.principal, c.req.valid("query"))).map(appealView) }, 200))
  .openapi(getAppealRoute, async (c) => c.json(appealView(await appealVisibleTo(c.var.db, c.var.principal, c.req.valid("param").appealId)), 200))
  .openapi(decideAppealRoute, async (c) => {
    const { appealId } = c.req.valid("param");
    const body = c.req.valid("json");
    c.set("auditDetail", { appealId, ...body });
    return c.json(appealView(await decideAppeal(c.var.db, c.var.principal, appealId, body)), 200);
  })
  .openapi(runDecisionsRoute, async (c) => {
    const run = await runInRegion(c.var.db, c.var.principal.regionId, c.req.valid("param").runId);
    const own = hospitalScope(c.var.principal);
    const rows = await c.var.db
      .select()
      .from(runDecisions)
      .where(and(eq(runDecisions.runId, run.id), own !== undefined ? eq(runDecisions.hospitalId, own) : undefined))
      .orderBy(asc(runDecisions.claimId));
    return c.json({ runId: run.id, decisions: rows.map((r) => ({ claimId: r.claimId, hospitalId: r.hospitalId, month: r.month, mode: r.mode, decisions: r.decisions, pointsDelta: points(r.pointsDelta) })) }, 200);
  });
