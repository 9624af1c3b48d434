import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { authenticate, requireRole } from "../auth/middleware";
import { visibleConsortium } from "../auth/tenancy";
import { consortia, consortiumMembers } from "../db/schema";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy } from "../http/schemas";

export const consortiumSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    name: z.string(),
    nameEn: z.string(),
    leadHospitalId: z.string().nullable(),
    catchmentPopulation: z.number().int(),
    memberHospitalIds: z.array(z.string()),
  })
  .openapi("Consortium");

const listRoute = createRoute({
  method: "get",
  path: "/v1/consortia",
  tags: ["consortia"],
  summary: "Consortia the key may see (agency: its region; consortium: itself)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "consortium")] as const,
  responses: { 200: jsonContent(z.object({ consortia: z.array(consortiumSchema) }), "Visible consortia."), ...authErrors },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/consortia/{consortiumId}",
  tags: ["consortia"],
  summary: "One consortium with its member hospitals",
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "consortium")] as const,
  request: { params: z.object({ consortiumId: z.string().min(1) }) },
  responses: { 200: jsonContent(consortiumSchema, "The consortium."), ...authErrors },
});

export const consortiumRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const p = c.var.principal;
    const rows = await c.var.db
      .select()
      .from(consortia)
      .where(p.role === "agency" ? eq(consortia.regionId, p.regionId) : eq(consortia.id, p.consortiumId ?? ""))
      .orderBy(asc(consortia.id));
    const members = await c.var.db.select().from(consortiumMembers);
    return c.json({ consortia: rows.map((r) => withMembers(r, members)) }, 200);
  })
  .openapi(getRoute, async (c) => {
    const consortium = await visibleConsortium(c.var.db, c.var.principal, c.req.valid("param").consortiumId);
    const members = await c.var.db.select().from(consortiumMembers).where(eq(consortiumMembers.consortiumId, consortium.id));
    return c.json(withMembers(consortium, members), 200);
  });

function withMembers(row: typeof consortia.$inferSelect, members: (typeof consortiumMembers.$inferSelect)[]) {
  const { createdAt: _, ...rest } = row;
  return {
    ...rest,
    memberHospitalIds: members.filter((m) => m.consortiumId === row.id).map((m) => m.hospitalId).sort(),
  };
}
