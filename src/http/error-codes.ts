/**
 * The one map from a domain condition to its HTTP answer. Domain modules throw
 * `DomainError(code, …)` and never choose a status; the problem+json handler
 * looks the code up here, so "no parameter set" is the same status on the
 * preview, the budgets and the clearing. `Record<DomainErrorCode, …>` makes the
 * compiler refuse a new code until it has a row.
 */
import type { DomainErrorCode } from "../payment/errors";

export interface ProblemKind {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500;
  title: string;
}

const unprocessable: ProblemKind = { status: 422, title: "Unprocessable input" };

export const PROBLEM_KINDS: Record<DomainErrorCode, ProblemKind> = {
  "invalid-request": { status: 400, title: "Invalid request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  // Also another tenant's resource, so that its existence is not disclosed.
  "not-found": { status: 404, title: "Not found" },
  "payload-too-large": { status: 413, title: "Payload too large" },
  "unsupported-media-type": { status: 415, title: "Unsupported media type" },
  // The request is well-formed, but the rules cannot price what it says.
  "invalid-parameters": unprocessable,
  "invalid-input": unprocessable,
  "invalid-scenario": unprocessable,
  "unknown-drg": unprocessable,
  "unknown-hospital": unprocessable,
  "unsafe-integer": unprocessable,
  "zero-weights": unprocessable,
  // The request is fine, the region's state is not ready for it: the agency must publish first.
  "no-parameters": { status: 409, title: "No parameter set" },
  "no-weights": { status: 409, title: "No DRG weights" },
  "no-monthly-budget": { status: 409, title: "No monthly budget" },
  "no-score": { status: 409, title: "No assessment score" },
  // A set the caller named that this Worker does not have.
  "unknown-definition-set": { status: 404, title: "Not found" },
  // The region's own set is missing from the deployment: the server's fault, not the caller's.
  "set-not-bundled": { status: 500, title: "Definition set not bundled" },
  "run-in-progress": { status: 409, title: "Run in progress" },
  "period-closed": { status: 409, title: "Period closed" },
  "run-not-completed": { status: 409, title: "Run not completed" },
  // RULES.md §2, the month's edges: a month is settled only after it has ended, and never closed empty.
  "month-not-ended": { status: 409, title: "Month not ended" },
  "run-empty": { status: 409, title: "Empty run" },
  "run-inputs-changed": { status: 409, title: "Run inputs changed" },
  "already-cleared": { status: 409, title: "Already cleared" },
  "decision-conflict": { status: 409, title: "Decision conflict" },
  "review-cap-reached": { status: 409, title: "Review cap reached" },
};

/** The status and title a domain error answers. */
export function problemKindOf(code: DomainErrorCode): ProblemKind {
  return PROBLEM_KINDS[code];
}
