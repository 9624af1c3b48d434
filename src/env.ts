import type { Database } from "./db/client";
import type { Principal } from "./auth/principal";
import type { SettlementRunParams } from "./settlement/run-workflow";

/** The Worker's bindings, typed once. */
export interface Bindings {
  DB: D1Database;
  MEDPAY_ENV: string;
  /** Monthly settlement runs (src/settlement/run-workflow.ts). */
  SETTLEMENT_RUN: Workflow<SettlementRunParams>;
}

export interface Variables {
  db: Database;
  principal: Principal;
  /** What a write route wants the audit log to remember beyond method, path and status. */
  auditDetail: Record<string, unknown>;
  /** This request's id (hono/request-id): the X-Request-Id header and `requestId` of a problem. */
  requestId: string;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
