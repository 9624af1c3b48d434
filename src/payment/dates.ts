/** ISO date helpers on whole UTC days (RULES.md §0: dates are `YYYY-MM-DD`, periods `YYYY-MM`). */
import { PaymentRuleError } from "./errors.js";

const DAY_MS = 86_400_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for an ISO date; throws naming `field` when malformed. */
export function epochDay(date: string, field = "date"): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    // Years below 100 are refused, as Date.UTC (used here before) reads them as 19xx.
    if (y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return daysFromCivil(y, mo, d);
  }
  throw new PaymentRuleError("invalid-input", field, `not an ISO date YYYY-MM-DD: "${date}"`);
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, by integer arithmetic (H. Hinnant's days_from_civil):
 * every claim line needs it, and going through Date objects cost more than validating the whole line.
 */
function daysFromCivil(y: number, mo: number, d: number): number {
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
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
