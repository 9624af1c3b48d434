import type { Database } from "./db/client";
import type { Principal } from "./auth/principal";
import type { SettlementRunParams } from "./settlement/run-workflow";

/** The Worker's bindings, typed once. */
export interface Bindings {
  DB: D1Database;
  MEDPAY_ENV: string;
  /** Optional fixed "now" (ISO date or instant) for a frozen demo; see src/http/clock.ts. */
  MEDPAY_NOW?: string;
  /** Monthly settlement runs (src/settlement/run-workflow.ts). */
  SETTLEMENT_RUN: Workflow<SettlementRunParams>;
}

export interface Variables {
  db: Database;
  principal: Principal;
  /** What a write route wants the audit log to remember beyond method, path and status. */
  auditDetail: Record<string, unknown>;
  /** The request's now (src/http/clock.ts): decides which months have ended. */
  now: Date;
  /** This request's id (hono/request-id): the X-Request-Id header and `requestId` of a problem. */
  requestId: string;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
