/**
 * Per-bed-day payment (按床日, RULES.md §3) for long stays: the payment standard
 * of a claim is Σ over its counted days of the rate for each day's ordinal;
 * fund payment = standard − patient paid.
 *
 * Counted days (§0): for a final claim every date d with admission ≤ d <
 * discharge (midnight census), a same-day stay counting 1 day; for an interim
 * claim of an ongoing stay (中途结算) every date periodStart..periodEnd
 * inclusive. Ordinals always run from the admission date (admission day = 1),
 * so a stay crossing months keeps climbing the rate table. Days beyond a closed
 * last segment are not payable and flag the claim `over-cap`.
 */
import { z } from "zod";
import { epochDay } from "./dates.js";
import { PaymentRuleError } from "./errors.js";
import { sumFen, type Fen } from "./money.js";
import type { PerDiemSegments, RegionYearParameters } from "./parameters.js";
import { dateSchema, fenSchema, wardCategorySchema, type WardCategory } from "./vocabulary.js";

export const perDiemClaimSchema = z
  .object({
    id: z.string().min(1),
    hospitalId: z.string().min(1),
    personId: z.string().optional(),
    wardCategory: wardCategorySchema,
    drg: z.string().optional().describe("when the ward category has no rate table, a DRG flagged per-diem in the weight table names it"),
    admissionDate: dateSchema,
    periodStart: dateSchema.optional().describe("interim claim: first counted date (inclusive); final claim after interim ones: first date not yet claimed"),
    periodEnd: dateSchema.optional().describe("interim claim: last counted date (inclusive)"),
    dischargeDate: dateSchema.optional().describe("final claim: discharge date (not counted unless a same-day stay)"),
    patientPaid: fenSchema,
  })
  .superRefine((c, ctx) => {
    const interim = c.periodEnd !== undefined;
    if (interim && c.periodStart === undefined) ctx.addIssue({ code: "custom", path: ["periodStart"], message: "an interim claim needs periodStart and periodEnd" });
    if (!interim && c.dischargeDate === undefined) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "a claim needs either periodStart..periodEnd (interim) or a dischargeDate (final)" });
    if (interim && c.dischargeDate !== undefined) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "an interim claim (with periodEnd) cannot carry a dischargeDate" });
    if (c.periodStart !== undefined && c.periodStart < c.admissionDate) ctx.addIssue({ code: "custom", path: ["periodStart"], message: "periodStart is before admission" });
    if (c.periodStart !== undefined && c.periodEnd !== undefined && c.periodEnd < c.periodStart) ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "periodEnd is before periodStart" });
    if (c.dischargeDate !== undefined && c.dischargeDate < c.admissionDate) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "discharge before admission" });
  });
export type PerDiemClaim = z.infer<typeof perDiemClaimSchema>;

export interface PerDiemLine {
  fromDay: number;
  toDay: number;
  days: number;
  /** fen per day */
  rate: Fen;
  amount: Fen;
}

export interface PricedPerDiemClaim {
  claimId: string;
  hospitalId: string;
  wardCategory: WardCategory;
  /** The rate table used (a ward category). */
  rateTable: WardCategory;
  kind: "interim" | "final";
  countedDays: number;
  /** Ordinal range of the counted days (null when no day counts). */
  fromOrdinal: number | null;
  toOrdinal: number | null;
  lines: PerDiemLine[];
  overCapDays: number;
  standard: Fen;
  patientPaid: Fen;
  fundPayment: Fen;
  flags: string[];
}

/** Which rate table pays the claim: its ward category's, else that of its DRG flagged per-diem. */
export function perDiemRateTable(
  claim: Pick<PerDiemClaim, "wardCategory" | "drg">,
  parameters: RegionYearParameters,
  drgPerDiem?: (drg: string) => WardCategory | undefined,
): { category: WardCategory; segments: PerDiemSegments } {
  const own = parameters.perDiem[claim.wardCategory];
  if (own) return { category: claim.wardCategory, segments: own };
  const viaDrg = claim.drg ? drgPerDiem?.(claim.drg) : undefined;
  const table = viaDrg ? parameters.perDiem[viaDrg] : undefined;
  if (viaDrg && table) return { category: viaDrg, segments: table };
  throw new PaymentRuleError("invalid-input", "wardCategory", `no per-diem rate table for ward category "${claim.wardCategory}"${claim.drg ? ` or DRG "${claim.drg}"` : ""}`);
}

/** The ordinal range [from, to] (admission day = 1) of the claim's counted days. */
export function countedOrdinals(claim: PerDiemClaim): { kind: "interim" | "final"; from: number; to: number } {
  const adm = epochDay(claim.admissionDate, "admissionDate");
  if (claim.periodEnd !== undefined) {
    const from = epochDay(claim.periodStart!, "periodStart") - adm + 1;
    return { kind: "interim", from, to: epochDay(claim.periodEnd, "periodEnd") - adm + 1 };
  }
  const dis = epochDay(claim.dischargeDate!, "dischargeDate");
  if (dis === adm) return { kind: "final", from: 1, to: 1 }; // same-day stay: 1 day
  const start = claim.periodStart !== undefined ? epochDay(claim.periodStart, "periodStart") : adm;
  return { kind: "final", from: start - adm + 1, to: dis - adm }; // discharge day itself not counted
}

/** Σ of the rate for each ordinal in [from, to], split by segment. */
export function perDiemLines(segments: PerDiemSegments, from: number, to: number): { lines: PerDiemLine[]; overCapDays: number } {
  const lines: PerDiemLine[] = [];
  for (const s of segments) {
    const a = Math.max(from, s.fromDay);
    const b = s.toDay === null ? to : Math.min(to, s.toDay);
    if (a > b) continue;
    const days = b - a + 1;
    lines.push({ fromDay: a, toDay: b, days, rate: s.rate, amount: days * s.rate });
  }
  const cap = segments[segments.length - 1]!.toDay;
  const overCapDays = cap === null || to <= cap ? 0 : to - Math.max(from, cap + 1) + 1;
  return { lines, overCapDays };
}

export function pricePerDiemClaim(
  claim: PerDiemClaim,
  parameters: RegionYearParameters,
  drgPerDiem?: (drg: string) => WardCategory | undefined,
): PricedPerDiemClaim {
  const table = perDiemRateTable(claim, parameters, drgPerDiem);
  const { kind, from, to } = countedOrdinals(claim);
  const counted = Math.max(0, to - from + 1);
  const { lines, overCapDays } = counted > 0 ? perDiemLines(table.segments, from, to) : { lines: [], overCapDays: 0 };
  const standard = sumFen(lines.map((l) => l.amount));
  return {
    claimId: claim.id,
    hospitalId: claim.hospitalId,
    wardCategory: claim.wardCategory,
    rateTable: table.category,
    kind,
    countedDays: counted,
    fromOrdinal: counted > 0 ? from : null,
    toOrdinal: counted > 0 ? to : null,
    lines,
    overCapDays,
    standard,
    patientPaid: claim.patientPaid,
    fundPayment: standard - claim.patientPaid,
    flags: overCapDays > 0 ? ["over-cap"] : [],
  };
}
