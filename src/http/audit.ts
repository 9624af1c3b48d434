import { createMiddleware } from "hono/factory";
import { auditLog } from "../db/schema";
import { tenantOf } from "../auth/principal";
import type { AppEnv } from "../env";

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * POST routes that only compute and store nothing. A payment preview or a grouping is a read
 * with a body: coders call it on every edit of a record, so logging each one
 * would write an audit row per keystroke and double its latency.
 */
const COMPUTE_ONLY = new Set(["/v1/preview", "/v1/preview/batch", "/v1/grouper/group", "/v1/grouper/batch"]);

/**
 * Records every write request (who, what, when, outcome) after it is handled,
 * including refused ones: an auditor wants the attempts too. Reads are not logged.
 */
export const auditWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (!WRITE_METHODS.has(c.req.method) || COMPUTE_ONLY.has(c.req.path)) return next();
  await next();
  const principal = c.get("principal") as AppEnv["Variables"]["principal"] | undefined; // unset when auth failed
  await c.var.db.insert(auditLog).values({
    at: new Date().toISOString(),
    keyId: principal?.keyId ?? null,
    role: principal?.role ?? null,
    regionId: principal?.regionId ?? null,
    tenantId: principal ? tenantOf(principal) : null,
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status: c.res.status,
    detail: c.get("auditDetail") ?? null,
  });
});
