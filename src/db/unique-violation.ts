/** D1 reports a unique index refusing a write only in the error text. */
export function isUniqueViolation(err: unknown): boolean {
  return /UNIQUE constraint failed/i.test(`${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? "")}`);
}
