import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, isNull } from "drizzle-orm";
import { generateKey, hashKey, keyPrefix } from "../auth/keys";
import { forgetKey } from "../auth/cached-authenticate";
import { authenticate, requireRole } from "../auth/middleware";
import { visibleConsortium, visibleHospital } from "../auth/tenancy";
import { apiKeys } from "../db/schema";
import { roleSchema } from "../payment/vocabulary";
import { NotFoundProblem, ValidationProblem } from "../http/errors";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy, writeErrors } from "../http/schemas";

const keySchema = z
  .object({
    id: z.string(),
    prefix: z.string(),
    role: roleSchema,
    regionId: z.string(),
    hospitalId: z.string().nullable(),
    consortiumId: z.string().nullable(),
    label: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

const createKeySchema = z
  .object({
    role: roleSchema,
    hospitalId: z.string().min(1).optional(),
    consortiumId: z.string().min(1).optional(),
    label: z.string().min(1).max(200),
  })
  .openapi("CreateApiKey");

const listRoute = createRoute({
  method: "get",
  path: "/v1/keys",
  tags: ["auth"],
  summary: "API keys of the agency's region (hashes are never shown)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  responses: { 200: jsonContent(z.object({ keys: z.array(keySchema) }), "Keys of the region."), ...authErrors },
});

const createKeyRoute = createRoute({
  method: "post",
  path: "/v1/keys",
  tags: ["auth"],
  summary: "Issue a key for the region, one of its hospitals or consortia (agency); the key is shown once",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { body: { content: { "application/json": { schema: createKeySchema } } } },
  responses: {
    201: jsonContent(keySchema.extend({ key: z.string() }), "The new key; store it now, it is not shown again."),
    ...writeErrors,
  },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/v1/keys/{keyId}",
  tags: ["auth"],
  summary: "Revoke a key of the region (agency)",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { params: z.object({ keyId: z.string().min(1) }) },
  responses: { 200: jsonContent(keySchema, "The revoked key."), ...authErrors },
});

export const keyRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const rows = await c.var.db.select().from(apiKeys).where(eq(apiKeys.regionId, c.var.principal.regionId)).orderBy(asc(apiKeys.createdAt));
    return c.json({ keys: rows.map(publicKey) }, 200);
  })
  .openapi(createKeyRoute, async (c) => {
    const body = c.req.valid("json");
    const p = c.var.principal;
    const tenant = await tenantForNewKey(c.var.db, p, body);
    const key = generateKey(body.role);
    const [row] = await c.var.db
      .insert(apiKeys)
      .values({
        id: crypto.randomUUID(),
        keyHash: await hashKey(key),
        prefix: keyPrefix(key),
        role: body.role,
        regionId: p.regionId,
        hospitalId: tenant.hospitalId,
        consortiumId: tenant.consortiumId,
        label: body.label,
      })
      .returning();
    c.set("auditDetail", { keyId: row!.id, role: row!.role });
    return c.json({ ...publicKey(row!), key }, 201);
  })
  .openapi(revokeRoute, async (c) => {
    const { keyId } = c.req.valid("param");
    const [row] = await c.var.db
      .update(apiKeys)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.regionId, c.var.principal.regionId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!row) throw new NotFoundProblem(`No active key ${keyId}.`);
    forgetKey(keyId);
    c.set("auditDetail", { keyId });
    return c.json(publicKey(row), 200);
  });

async function tenantForNewKey(
  db: Parameters<typeof visibleHospital>[0],
  p: Parameters<typeof visibleHospital>[1],
  body: z.infer<typeof createKeySchema>,
) {
  const need = body.role === "hospital" ? "hospitalId" : body.role === "consortium" ? "consortiumId" : undefined;
  for (const field of ["hospitalId", "consortiumId"] as const) {
    if (field === need && !body[field]) throw new ValidationProblem([{ field, reason: `required for role ${body.role}` }]);
    if (field !== need && body[field]) throw new ValidationProblem([{ field, reason: `not allowed for role ${body.role}` }]);
  }
  if (body.hospitalId) await visibleHospital(db, p, body.hospitalId);
  if (body.consortiumId) await visibleConsortium(db, p, body.consortiumId);
  return { hospitalId: body.hospitalId ?? null, consortiumId: body.consortiumId ?? null };
}

function publicKey(row: typeof apiKeys.$inferSelect) {
  const { keyHash: _, ...rest } = row;
  return rest;
}
