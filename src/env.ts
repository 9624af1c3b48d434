import type { Database } from "./db/client";
import type { Principal } from "./auth/principal";

/** The Worker's bindings, typed once. */
export interface Bindings {
  DB: D1Database;
  MEDPAY_ENV: string;
}

export interface Variables {
  db: Database;
  principal: Principal;
  /** What a write route wants the audit log to remember beyond method, path and status. */
  auditDetail: Record<string, unknown>;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
