/** ISO date helpers on whole UTC days (RULES.md §0: dates are `YYYY-MM-DD`, periods `YYYY-MM`). */
import { PaymentRuleError } from "./errors.js";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 for an ISO date; throws naming `field` when malformed. */
export function epochDay(date: string, field = "date"): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new PaymentRuleError("invalid-input", field, `not an ISO date YYYY-MM-DD: "${date}"`);
  }
  return ms / DAY_MS;
}

export function isoFromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return epochDay(b) - epochDay(a);
}

/** `YYYY-MM` of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The twelve months `YYYY-01`…`YYYY-12`. */
export function monthsOfYear(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
}

/** First day `YYYY-MM-01` of a month. */
export function firstDayOf(month: string): string {
  return `${month}-01`;
}
