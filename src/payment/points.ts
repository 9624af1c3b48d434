/**
 * DRG points (病组点数): decimals with 4 places held exactly as integer
 * 1/10000 units (RULES.md §0), so 120.0000 points = 1_200_000 units.
 */
import { formatRatio4, roundHalfAwayFromZero, toSafeNumber } from "./money.js";

/** Points in 1/10000 units (a safe integer). */
export type PointUnits = number;
export const POINT_SCALE = 10_000;

/** Rounds an exact rational number of points (num/den, in points) to 4 places (§1: "rounded to 4 places after each episode"). */
export function pointsFromRational(num: bigint, den: bigint): PointUnits {
  return toSafeNumber(roundHalfAwayFromZero(num * BigInt(POINT_SCALE), den), "points");
}

/** "550.0000" for display and files. */
export function formatPoints(units: PointUnits | bigint): string {
  return formatRatio4(units);
}

/** Parses "120.0000" / "42.5" into 1/10000 units exactly (at most 4 decimals). */
export function parsePoints(text: string): PointUnits {
  const m = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!m) throw new Error(`not a 4-place decimal: "${text}"`);
  const units = BigInt(m[2]!) * 10_000n + BigInt((m[3] ?? "").padEnd(4, "0"));
  return toSafeNumber(m[1] ? -units : units, "points");
}

/** Multiplies points by a 1/10000 ratio (e.g. the readmission factor 0.5 = 5000), rounding to 4 places. */
export function scalePoints(units: PointUnits, ratio4: number): PointUnits {
  return toSafeNumber(roundHalfAwayFromZero(BigInt(units) * BigInt(ratio4), 10_000n), "points");
}
