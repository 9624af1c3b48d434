import { eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { apiKeys } from "../db/schema";
import type { AppEnv } from "../env";
import { UnauthorizedProblem } from "../http/errors";
import { hashKey } from "./keys";
import type { Principal } from "./principal";

/**
 * `authenticate` with a per-isolate cache of recently seen keys, for the
 * latency-bound preview routes only (issue #7: no avoidable D1 round trip).
 * Trade-off, deliberately narrow: a key revoked in another isolate can still
 * preview for up to KEY_CACHE_TTL_MS; in this isolate revocation is immediate
 * (`forgetKey`, called by DELETE /v1/keys). Only valid keys are cached, so an
 * unknown key always reaches D1. All other routes keep the uncached check.
 */
export const KEY_CACHE_TTL_MS = 15_000;
const BEARER = /^Bearer\s+(\S+)\s*$/i;
const MAX_ENTRIES = 10_000;

const cache = new Map<string, { principal: Principal; expires: number }>();

/** Drops a key from this isolate's cache (after it was revoked). */
export function forgetKey(keyId: string): void {
  for (const [hash, entry] of cache) if (entry.principal.keyId === keyId) cache.delete(hash);
}

export const authenticateCached = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  const key = header ? BEARER.exec(header)?.[1] : undefined;
  if (!key) throw new UnauthorizedProblem();
  const hash = await hashKey(key);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.expires > now) {
    c.set("principal", hit.principal);
    return next();
  }
  const row = await c.var.db.query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, hash) });
  if (!row || row.revokedAt) {
    cache.delete(hash);
    throw new UnauthorizedProblem("The API key is unknown or revoked.");
  }
  const principal: Principal = { keyId: row.id, role: row.role, regionId: row.regionId, hospitalId: row.hospitalId, consortiumId: row.consortiumId };
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(hash, { principal, expires: now + KEY_CACHE_TTL_MS });
  c.set("principal", principal);
  return next();
});
