import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, inArray, sql } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { assertRegion } from "../auth/tenancy";
import { runBatch } from "../db/bulk";
import { chunk } from "../db/client";
import { assessmentScores, consortia, hospitals } from "../db/schema";
import { scoreSubjectSchema, yearParamSchema } from "../payment/vocabulary";
import { ValidationProblem } from "../http/errors";
import { createRouter } from "../http/openapi";
import { jsonContent, securedBy, writeErrors } from "../http/schemas";

const scoreSchema = z
  .object({
    subjectKind: scoreSubjectSchema,
    subjectId: z.string().min(1).max(64),
    score: z.number().int().min(0).max(100),
  })
  .openapi("AssessmentScore");

const putRoute = createRoute({
  method: "put",
  path: "/v1/regions/{regionId}/years/{year}/scores",
  tags: ["regions"],
  summary: "Upload the year's assessment scores (agency): hospitals, consortia, capitation contractors",
  description: "Each listed subject's score is set (stored again if already present); subjects not listed keep theirs. A subject that is not in the region refuses the whole upload (400 naming the entry). `capitation` subjects are contractor hospitals.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: {
    params: z.object({ regionId: z.string().min(1).max(64), year: yearParamSchema }),
    body: { required: true, content: { "application/json": { schema: z.array(scoreSchema).max(5000) } } },
  },
  responses: { 200: jsonContent(z.object({ regionId: z.string(), year: z.number().int(), stored: z.number().int() }), "Stored."), ...writeErrors },
});

export const scoreRoutes = createRouter().openapi(putRoute, async (c) => {
  const { regionId, year } = c.req.valid("param");
  assertRegion(c.var.principal, regionId);
  const list = c.req.valid("json");
  const db = c.var.db;
  const hospitalIds = new Set<string>();
  const consortiumIds = new Set<string>();
  for (const part of chunk([...new Set(list.map((s) => s.subjectId))], 90)) {
    for (const h of await db.select({ id: hospitals.id }).from(hospitals).where(and(eq(hospitals.regionId, regionId), inArray(hospitals.id, part)))) hospitalIds.add(h.id);
    for (const k of await db.select({ id: consortia.id }).from(consortia).where(and(eq(consortia.regionId, regionId), inArray(consortia.id, part)))) consortiumIds.add(k.id);
  }
  const errors = list.flatMap((s, i) =>
    (s.subjectKind === "consortium" ? consortiumIds : hospitalIds).has(s.subjectId) ? [] : [{ field: `[${i}].subjectId`, reason: `no ${s.subjectKind === "consortium" ? "consortium" : "hospital"} ${s.subjectId.slice(0, 40)} in the region` }],
  );
  const seen = new Set<string>();
  list.forEach((s, i) => {
    const key = `${s.subjectKind}/${s.subjectId}`;
    if (seen.has(key)) errors.push({ field: `[${i}]`, reason: `${key} listed twice` });
    seen.add(key);
  });
  if (errors.length > 0) throw new ValidationProblem(errors);
  const rows = list.map((s) => ({ regionId, year, ...s }));
  await runBatch(
    db,
    chunk(rows, 20).map((part) =>
      db
        .insert(assessmentScores)
        .values(part)
        .onConflictDoUpdate({ target: [assessmentScores.regionId, assessmentScores.year, assessmentScores.subjectKind, assessmentScores.subjectId], set: { score: sql`excluded.score` } }),
    ),
  );
  c.set("auditDetail", { regionId, year, stored: rows.length });
  return c.json({ regionId, year, stored: rows.length }, 200);
});
