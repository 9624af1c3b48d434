import { createRoute, z } from "@hono/zod-openapi";
import { authenticateCached } from "../auth/cached-authenticate";
import { requireRole } from "../auth/middleware";
import { createRouter } from "../http/openapi";
import { type DomainError, type FieldProblem, zodFieldProblems } from "../payment/errors";
import { fieldProblemsOf } from "../http/problem";
import { jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import { batchRequestSchema, batchResultSchema, PREVIEW_BATCH_MAX, previewRequestSchema, previewResultSchema } from "../preview/schemas";
import { runPreviews } from "../preview/service";

const problem409 = problemContent("The region has no parameter set or weight table for the year; `errors` names the field.");
const problem422 = problemContent("The episode cannot be priced as given (e.g. an unsafe amount); `errors` names the field.");

const previewRoute = createRoute({
  method: "post",
  path: "/v1/preview",
  tags: ["preview"],
  summary: "Payment preview of one episode: grouping, points, expected payment, patient share and warnings (hospital for itself, agency for any hospital of its region)",
  description:
    "Groups the episode with the region's definition set, prices it with the region-year's parameters and weights (RULES.md §1, §3), values the points at the latest completed settlement's point value (or, before any month is settled, avgAll per 100 points, flagged `point-value-estimated`), estimates the patient's share by layer (§5) and lists warnings for coders: near a high/low threshold (within 10%), a CC/MCC that would change the group, a readmission within R days of a stored stay of the same person, ADRG and hospital. Nothing is stored.",
  security: securedBy,
  middleware: [authenticateCached, requireRole("hospital", "agency")] as const,
  request: { body: { content: { "application/json": { schema: previewRequestSchema } }, required: true } },
  responses: { 200: jsonContent(previewResultSchema, "The preview."), ...writeErrors, 409: problem409, 422: problem422 },
});

const batchRoute = createRoute({
  method: "post",
  path: "/v1/preview/batch",
  tags: ["preview"],
  summary: `Payment previews of up to ${PREVIEW_BATCH_MAX} episodes; a bad item is reported by index, field and reason without failing the others`,
  description: `Each item is a PreviewRequest and gets the same result as POST /v1/preview. Results keep the order of the items; \`accepted + rejected = submitted\`. An item naming a hospital the key may not preview is rejected with field \`hospitalId\`.`,
  security: securedBy,
  middleware: [authenticateCached, requireRole("hospital", "agency")] as const,
  request: { body: { content: { "application/json": { schema: batchRequestSchema } }, required: true } },
  responses: { 200: jsonContent(batchResultSchema, "One result per item, in order."), ...writeErrors },
});

/** A refused batch item's fields; a hospital the key may not preview is named as `hospitalId`. */
function itemErrors(problem: DomainError): FieldProblem[] {
  if (problem.issues.length > 0) return fieldProblemsOf(problem);
  return [{ field: problem.code === "not-found" ? "hospitalId" : "(item)", reason: problem.message }];
}

export const previewRoutes = createRouter()
  .openapi(previewRoute, async (c) => {
    const [outcome] = await runPreviews(c.var.db, c.var.principal, [c.req.valid("json")]);
    if (!outcome!.ok) throw outcome!.problem;
    c.set("auditDetail", { hospitalId: outcome!.result.hospitalId, drg: outcome!.result.grouping.drg.code });
    return c.json(outcome!.result, 200);
  })
  .openapi(batchRoute, async (c) => {
    const { items } = c.req.valid("json");
    type Row = z.infer<typeof batchResultSchema>["results"][number];
    const results: Row[] = new Array(items.length);
    const valid: { index: number; request: z.output<typeof previewRequestSchema> }[] = [];
    items.forEach((item, index) => {
      const parsed = previewRequestSchema.safeParse(item);
      if (parsed.success) valid.push({ index, request: parsed.data });
      else results[index] = { index, ok: false, errors: zodFieldProblems(parsed.error) };
    });
    const outcomes = await runPreviews(c.var.db, c.var.principal, valid.map((v) => v.request));
    outcomes.forEach((o, i) => {
      const index = valid[i]!.index;
      results[index] = o.ok ? { index, ok: true, result: o.result } : { index, ok: false, errors: itemErrors(o.problem) };
    });
    const accepted = results.filter((r) => r.ok).length;
    c.set("auditDetail", { submitted: items.length, accepted });
    return c.json({ submitted: items.length, accepted, rejected: items.length - accepted, results }, 200);
  });
