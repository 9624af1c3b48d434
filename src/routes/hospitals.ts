import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { authenticate } from "../auth/middleware";
import type { Principal } from "../auth/principal";
import { visibleHospital } from "../auth/tenancy";
import type { Database } from "../db/client";
import { consortiumMembers, hospitals } from "../db/schema";
import { hospitalLevelSchema } from "../payment/vocabulary";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy } from "../http/schemas";

export const hospitalSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    name: z.string(),
    nameEn: z.string(),
    level: hospitalLevelSchema,
    coefficient: z.number().int().nullable().openapi({ description: "k_h in 1/10000; null = level default" }),
  })
  .openapi("Hospital");

const listRoute = createRoute({
  method: "get",
  path: "/v1/hospitals",
  tags: ["hospitals"],
  summary: "Hospitals the key may see (agency: its region; consortium: its members; hospital: itself)",
  security: securedBy,
  middleware: [authenticate] as const,
  responses: { 200: jsonContent(z.object({ hospitals: z.array(hospitalSchema) }), "Visible hospitals."), 401: authErrors[401] },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/hospitals/{hospitalId}",
  tags: ["hospitals"],
  summary: "One hospital",
  security: securedBy,
  middleware: [authenticate] as const,
  request: { params: z.object({ hospitalId: z.string().min(1) }) },
  responses: { 200: jsonContent(hospitalSchema, "The hospital."), ...authErrors },
});

export const hospitalRoutes = createRouter()
  .openapi(listRoute, async (c) => c.json({ hospitals: (await visibleHospitals(c.var.db, c.var.principal)).map(publicHospital) }, 200))
  .openapi(getRoute, async (c) => {
    const hospital = await visibleHospital(c.var.db, c.var.principal, c.req.valid("param").hospitalId);
    return c.json(publicHospital(hospital), 200);
  });

async function visibleHospitals(db: Database, p: Principal) {
  const inRegion = eq(hospitals.regionId, p.regionId);
  if (p.role === "agency") return db.select().from(hospitals).where(inRegion).orderBy(asc(hospitals.id));
  if (p.role === "hospital") return db.select().from(hospitals).where(and(inRegion, eq(hospitals.id, p.hospitalId ?? "")));
  const members = db
    .select({ id: consortiumMembers.hospitalId })
    .from(consortiumMembers)
    .where(eq(consortiumMembers.consortiumId, p.consortiumId ?? ""));
  return db.select().from(hospitals).where(and(inRegion, inArray(hospitals.id, members))).orderBy(asc(hospitals.id));
}

function publicHospital(h: typeof hospitals.$inferSelect) {
  const { createdAt: _, ...rest } = h;
  return rest;
}
