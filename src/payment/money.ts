/**
 * Money: integer fen (分) everywhere (RULES.md §0). Amounts are JavaScript numbers
 * that must be safe integers; anything that multiplies two large quantities goes
 * through BigInt so no product ever loses precision (§0: products of money and
 * point totals exceed 2^53).
 */
import { PaymentRuleError } from "./errors.js";

/** An integer number of fen. Always a safe integer; may be negative (money due back). */
export type Fen = number;

/** Ratios, rates and 4-place decimals (RW, H, L, k, w, q(s), ρ(s)…) are integer 1/10000 units: 5% = 500, RW 1.2 = 12000. */
export type Ratio4 = number;
export const RATIO4_ONE = 10_000;
export const RATIO4_ONE_N = 10_000n;

/** Converts a BigInt result back to a number, refusing values beyond 2^53. */
export function toSafeNumber(value: bigint, what = "amount"): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new PaymentRuleError("unsafe-integer", "", `${what} ${value} exceeds the safe integer range`);
  }
  return Number(value);
}

/** Checks that a number is a safe integer amount of fen. */
export function assertFen(value: number, field = "amount"): Fen {
  if (!Number.isSafeInteger(value)) {
    throw new PaymentRuleError("invalid-input", field, `must be an integer number of fen, got ${value}`);
  }
  return value;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Floor of num/den for any signs (BigInt division truncates toward zero). */
export function floorDiv(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new PaymentRuleError("invalid-input", "", "division by zero");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  return num < 0n && q * den !== num ? q - 1n : q;
}

/**
 * Rounds the rational num/den to an integer, half away from zero (RULES.md §0:
 * "rounding of a single amount: half away from zero"). Exact for any size.
 */
export function roundHalfAwayFromZero(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new PaymentRuleError("invalid-input", "", "division by zero");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const negative = num < 0n;
  const a = abs(num);
  const q = a / den;
  const rem = a - q * den;
  const rounded = rem * 2n >= den ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** round(amount × num / den) to the fen, half away from zero, exact. */
export function mulDivRound(amount: Fen | bigint, num: number | bigint, den: number | bigint): Fen {
  return toSafeNumber(roundHalfAwayFromZero(BigInt(amount) * BigInt(num), BigInt(den)));
}

/** round(amount × rate) where the rate is in 1/10000 units (e.g. the 5% quality deposit = 500). */
export function applyRate(amount: Fen, rate: Ratio4): Fen {
  return mulDivRound(amount, rate, RATIO4_ONE);
}

/** Sums fen exactly, refusing overflow beyond 2^53. */
export function sumFen(values: Iterable<Fen>): Fen {
  let total = 0n;
  for (const v of values) total += BigInt(v);
  return toSafeNumber(total, "sum");
}

/** Formats fen as a yuan string with thousands separators: 123456 → "1,234.56", -5 → "-0.05". Display and CSV only (§0). */
export function formatYuan(fen: Fen | bigint): string {
  const value = BigInt(fen);
  const negative = value < 0n;
  const a = abs(value);
  const yuan = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = (a % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${yuan}.${cents}`;
}

/** Parses a yuan string ("1,234.56", "-3", "0.5") into fen exactly; at most 2 decimals. */
export function parseYuan(text: string): Fen {
  const m = /^(-)?([0-9][0-9,]*)(?:\.([0-9]{1,2}))?$/.exec(text.trim());
  if (!m || !/^\d{1,3}(,\d{3})*$|^\d+$/.test(m[2]!)) {
    throw new PaymentRuleError("invalid-input", "", `not a yuan amount: "${text}"`);
  }
  const whole = BigInt(m[2]!.replace(/,/g, ""));
  const cents = BigInt((m[3] ?? "").padEnd(2, "0"));
  const fen = whole * 100n + cents;
  return toSafeNumber(m[1] ? -fen : fen);
}

/** Formats a 1/10000-unit ratio as a decimal with 4 places: 12000 → "1.2000", -5 → "-0.0005". */
export function formatRatio4(value: Ratio4 | bigint): string {
  const v = BigInt(value);
  const negative = v < 0n;
  const a = abs(v);
  return `${negative ? "-" : ""}${a / RATIO4_ONE_N}.${(a % RATIO4_ONE_N).toString().padStart(4, "0")}`;
}

/** Formats a rational num/den rounded (half away from zero) to `places` decimals, for explanations only. */
export function formatRational(num: bigint, den: bigint, places = 4): string {
  const scale = 10n ** BigInt(places);
  const scaled = roundHalfAwayFromZero(num * scale, den);
  const negative = scaled < 0n;
  const a = abs(scaled);
  if (places === 0) return `${negative ? "-" : ""}${a}`;
  return `${negative ? "-" : ""}${a / scale}.${(a % scale).toString().padStart(places, "0")}`;
}
