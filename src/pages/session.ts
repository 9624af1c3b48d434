/**
 * Dashboard sessions. The cookie holds the SHA-256 of the API key (the same
 * hash api_keys stores), never the key itself: it is HTTP-only, Secure and
 * SameSite=Strict, scoped to /app, and a revoked key ends every session at
 * once because each page looks the hash up again.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { hashKey } from "../auth/keys";
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { apiKeys } from "../db/schema";
import type { AppEnv } from "../env";

export const SESSION_COOKIE = "medpay_session";
const SESSION_HOURS = 12;

async function principalByHash(db: Database, keyHash: string): Promise<Principal | undefined> {
  const row = await db.query.apiKeys.findFirst({ where: and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)) });
  return row && { keyId: row.id, role: row.role, regionId: row.regionId, hospitalId: row.hospitalId, consortiumId: row.consortiumId };
}

/** Checks a key typed into the login form and opens a session; undefined when the key is unknown or revoked. */
export async function signIn(c: Context<AppEnv>, key: string): Promise<Principal | undefined> {
  const keyHash = await hashKey(key.trim());
  const principal = await principalByHash(c.var.db, keyHash);
  if (principal) setCookie(c, SESSION_COOKIE, keyHash, { path: "/app", httpOnly: true, secure: true, sameSite: "Strict", maxAge: SESSION_HOURS * 3600 });
  return principal;
}

export function signOut(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/app", httpOnly: true, secure: true, sameSite: "Strict" });
}

/** Pages behind the login: sets the principal, or sends the browser to the login form. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const keyHash = getCookie(c, SESSION_COOKIE);
  const principal = keyHash && /^[0-9a-f]{64}$/.test(keyHash) ? await principalByHash(c.var.db, keyHash) : undefined;
  if (!principal) {
    if (keyHash) signOut(c);
    return c.redirect("/app/login", 303);
  }
  c.set("principal", principal);
  await next();
});
