import { createRoute, z } from "@hono/zod-openapi";
import { authenticate, requireRole } from "../auth/middleware";
import { createRouter } from "../http/openapi";
import { jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import { INGEST_SEMANTICS, ingestReportSchema, uploadBody } from "../http/upload";
import { readBatchRecords, uploadFormatOf } from "../settlement/batch-lines";
import { ENROLMENT_CSV, ingestEnrolments } from "../settlement/enrolments";

const postRoute = createRoute({
  method: "post",
  path: "/v1/enrolments",
  tags: ["enrolments"],
  summary: "Submit chronic-disease enrolments as NDJSON or CSV (agency: its region; contractor hospital: its own enrollees)",
  description: `Fields: ${ENROLMENT_CSV.columns.map((c) => `\`${c}\``).join(", ")}; required ${ENROLMENT_CSV.required.join(", ")}. \`enrolmentId\` defaults to \`E-<personId>-<disease>\`. The content hash covers person, contractor, disease, start and end date.

${INGEST_SEMANTICS}`,
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { body: uploadBody("NDJSON or CSV enrolments, up to 32 MiB.") },
  responses: {
    200: jsonContent(ingestReportSchema, "The line-by-line report."),
    ...writeErrors,
    415: problemContent("Neither NDJSON nor CSV."),
  },
});

export const enrolmentRoutes = createRouter().openapi(postRoute, async (c) => {
  const format = uploadFormatOf(c.req.header("content-type"));
  const report = await ingestEnrolments(c.var.db, c.var.principal, readBatchRecords(c.req.raw.body, format, ENROLMENT_CSV));
  c.set("auditDetail", { format, submitted: report.submitted, ...report.counts });
  return c.json(report, 200);
});
