/**
 * Domain errors: every layer below HTTP throws a `DomainError` with a code
 * naming the condition, never an HTTP status. One table in
 * src/http/error-codes.ts maps each code to its status and title, so the same
 * condition answers the same status on every route.
 */

/** Every condition a domain module may refuse with; the HTTP table must cover each one. */
export const DOMAIN_ERROR_CODES = [
  // The request as a whole (src/http, src/auth and upload parsing).
  "invalid-request",
  "unauthorized",
  "forbidden",
  "not-found",
  "payload-too-large",
  "unsupported-media-type",
  // Payment rules refusing their input (RULES.md data that cannot be priced).
  "invalid-parameters",
  "invalid-input",
  "invalid-scenario",
  "unknown-drg",
  "unknown-hospital",
  "unsafe-integer",
  "zero-weights",
  // What the region has not published yet.
  "no-parameters",
  "no-weights",
  "no-monthly-budget",
  "no-score",
  // Grouping sets.
  "unknown-definition-set",
  "set-not-bundled",
  // Settlement runs and clearings (state conflicts).
  "run-in-progress",
  "period-closed",
  "run-not-completed",
  "month-not-ended",
  "run-empty",
  "run-inputs-changed",
  "already-cleared",
  // The agency's monthly review (RULES.md §7, §8): a request or decision its current state does not allow.
  "decision-conflict",
  "review-cap-reached",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** One offending field: `field` is a path such as `parameters.perDiem.psychiatric[1].fromDay`, "" for the whole input. */
export interface FieldIssue {
  field: string;
  message: string;
}

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The fields at fault, when the condition is about particular fields. */
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The payment rules' codes: RULES.md input that cannot be priced. */
export type PaymentRuleErrorCode = Extract<
  DomainErrorCode,
  "invalid-parameters" | "invalid-input" | "invalid-scenario" | "unknown-drg" | "unknown-hospital" | "unsafe-integer" | "zero-weights"
>;

/** A payment rule refusing its input; `field` names the first offending input, so the caller can fix it. */
export class PaymentRuleError extends DomainError {
  override readonly name = "PaymentRuleError";
  declare readonly code: PaymentRuleErrorCode;
  constructor(
    code: PaymentRuleErrorCode,
    /** Dotted/bracketed path of the offending field, or "" when it is the whole input. */
    readonly field: string,
    message: string,
    /** Every problem found, when validation reports more than one. */
    issues: ReadonlyArray<FieldIssue> = [{ field, message }],
  ) {
    super(code, field ? `${field}: ${message}` : message, issues);
  }
}

/** Renders a zod/issue path as `a.b[1].c`, prefixed by `root` when given. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>, root = ""): string {
  let out = root;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One failing field as responses and upload reports name it: `episodes[3].principalDx` and why. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** A zod error's issues as field problems; the whole input is `(root)`. */
export function zodFieldProblems(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => ({ field: formatFieldPath(issue.path, prefix) || "(root)", reason: issue.message }));
}
