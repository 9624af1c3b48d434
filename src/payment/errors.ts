/**
 * Typed domain errors for the payment rules (RULES.md). One handler upstream maps
 * them to problem+json; `field` names the offending input, e.g.
 * `parameters.perDiem.psychiatric[1].fromDay`, so the caller can fix it.
 */
export type PaymentRuleErrorCode =
  | "invalid-parameters"
  | "invalid-input"
  | "invalid-scenario"
  | "unknown-drg"
  | "unknown-hospital"
  | "unsafe-integer"
  | "zero-weights";

export class PaymentRuleError extends Error {
  override readonly name = "PaymentRuleError";
  constructor(
    readonly code: PaymentRuleErrorCode,
    /** Dotted/bracketed path of the offending field, or "" when it is the whole input. */
    readonly field: string,
    message: string,
    /** Every problem found, when validation reports more than one. */
    readonly issues: ReadonlyArray<{ field: string; message: string }> = [{ field, message }],
  ) {
    super(field ? `${field}: ${message}` : message);
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
