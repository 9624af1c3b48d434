import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { apiKeys } from "../db/schema";
import type { AppEnv } from "../env";
import { ForbiddenProblem, UnauthorizedProblem } from "../http/errors";
import { hashKey } from "./keys";
import type { Role } from "./principal";

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Resolves `Authorization: Bearer <key>` to a principal; 401 when absent, unknown or revoked. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  const key = header ? BEARER.exec(header)?.[1] : undefined;
  if (!key) throw new UnauthorizedProblem();
  const row = await c.var.db.query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, await hashKey(key)) });
  if (!row || row.revokedAt) throw new UnauthorizedProblem("The API key is unknown or revoked.");
  c.set("principal", {
    keyId: row.id,
    role: row.role,
    regionId: row.regionId,
    hospitalId: row.hospitalId,
    consortiumId: row.consortiumId,
  });
  await next();
});

/** 403 unless the caller's role is one of `roles`. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { role } = c.var.principal;
    if (!roles.includes(role)) {
      throw new ForbiddenProblem(`This operation is for the ${roles.join(" or ")} role; the key has role ${role}.`);
    }
    await next();
  });
}
