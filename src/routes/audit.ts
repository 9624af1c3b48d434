import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { auditLog } from "../db/schema";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy } from "../http/schemas";

const entrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    keyId: z.string().nullable(),
    role: z.string().nullable(),
    regionId: z.string().nullable(),
    tenantId: z.string().nullable(),
    method: z.string(),
    path: z.string(),
    status: z.number().int(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("AuditEntry");

const route = createRoute({
  method: "get",
  path: "/v1/audit",
  tags: ["audit"],
  summary: "The region's audit log, newest first (agency)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().positive().optional().openapi({ description: "Return entries with an id below this (paging)." }),
    }),
  },
  responses: { 200: jsonContent(z.object({ entries: z.array(entrySchema) }), "Audit entries."), ...authErrors },
});

export const auditRoutes = createRouter().openapi(route, async (c) => {
  const { limit, before } = c.req.valid("query");
  const inRegion = eq(auditLog.regionId, c.var.principal.regionId);
  const entries = await c.var.db
    .select()
    .from(auditLog)
    .where(before ? and(inRegion, lt(auditLog.id, before)) : inRegion)
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return c.json({ entries }, 200);
});
