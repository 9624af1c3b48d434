/**
 * Prices one chunk of a month's claims (pure): DRG points by class (RULES.md
 * §1 via payment.priceEpisode), the readmission rule across the person's
 * claims including the recent claims of earlier months (applyReadmissionRule),
 * and per-bed-day payment for per-diem wards or DRGs (§3 via
 * payment.pricePerDiemClaim). Chunks are ranges of persons, so every pair the
 * readmission rule can form lies inside one chunk.
 *
 * Documented choices:
 * - An interim claim (no discharge yet) can only be paid per bed day; one
 *   whose ward and DRG have no per-diem table is class `review`, unpaid this
 *   month and flagged `interim-not-per-diem`.
 * - A DRG without a weight fails the run (configuration error, never silently
 *   paid zero): PaymentRuleError "unknown-drg".
 * - Context claims (earlier months, discharged within R days before the
 *   earliest admission of the month's stays, run-inputs.ts) are priced only to pair them; their halving reaches this
 *   month as an `adjustment` row (§1: the settled month is never reopened).
 */
import {
  applyEpisodeDecisions,
  applyReadmissionRule,
  formatPoints,
  indexWeights,
  perDiemTableFor,
  priceEpisode,
  pricePerDiemClaim,
  type DrgEpisode,
  type DrgWeightTable,
  type EpisodeDecisions,
  type HospitalLevel,
  type PaymentClass,
  type PricedEpisode,
  type RegionYearParameters,
  type WardCategory,
} from "../payment";
import type { claims } from "../db/schema";

export type ClaimRow = Pick<
  typeof claims.$inferSelect,
  | "id"
  | "claimId"
  | "hospitalId"
  | "personId"
  | "wardCategory"
  | "admissionDate"
  | "dischargeDate"
  | "periodStart"
  | "periodEnd"
  | "adrg"
  | "drg"
  | "mdc"
  | "totalCostFen"
  | "patientPaidFen"
  | "plannedReadmission"
  | "settlementMonth"
>;


/** One row of settlement_episodes. */
export interface PricedRow {
  claimRowId: number;
  hospitalId: string;
  paymentClass: PaymentClass;
  /** Points this month counts (1/10000 units); per-diem and review: 0; adjustment: the (negative) carried delta. */
  points: number;
  /** Per-diem payment standard (fen); 0 for DRG classes (they are paid through the hospital's points). */
  amountFen: number;
  /** Patient paid counted on this row (PP for DRG classes, per-diem claims' own PP); 0 for adjustments. */
  patientPaidFen: number;
  flags: string[];
  explanation: Record<string, unknown>;
}

export interface ChunkPricingInput {
  period: string;
  parameters: RegionYearParameters;
  weights: DrgWeightTable;
  hospitals: ReadonlyMap<string, HospitalLevel>;
  /** The month's claims of this person range. */
  claims: readonly ClaimRow[];
  /** Earlier months' final claims of the same persons discharged within the readmission window before the month. */
  context: readonly ClaimRow[];
  /** The agency's decisions (§7 reviews, §8 violations) the run applies in this month, by claim id. */
  decisions?: ReadonlyMap<string, EpisodeDecisions>;
}

/** A final claim as the DRG episode the payment rules price. */
export function drgEpisodeOf(c: ClaimRow & { dischargeDate: string }): DrgEpisode {
  return {
    id: c.claimId,
    hospitalId: c.hospitalId,
    personId: c.personId,
    ...(c.mdc ? { mdc: c.mdc } : {}),
    ...(c.adrg ? { adrg: c.adrg } : {}),
    drg: c.drg ?? "0000",
    wardCategory: c.wardCategory,
    admissionDate: c.admissionDate,
    dischargeDate: c.dischargeDate,
    totalCost: c.totalCostFen,
    patientPaid: c.patientPaidFen,
    planned: c.plannedReadmission,
  };
}

/** What the decisions of one priced episode changed: its class and the hospital's deduction. */
interface DecisionOutcome {
  paymentClass: PaymentClass;
  deduction: number;
  classPoints: number;
}

export function priceChunk(input: ChunkPricingInput): PricedRow[] {
  const { parameters, weights } = input;
  const weightIndex = indexWeights(weights);
  const drgPerDiem = (drg: string): WardCategory | undefined => weightIndex.get(drg)?.perDiem;
  const out: PricedRow[] = [];
  const drgEpisodes: DrgEpisode[] = [];
  const priced: PricedEpisode[] = [];
  const rowOfEpisode: ClaimRow[] = [];
  const inMonth: boolean[] = [];
  const outcomes = new Map<number, DecisionOutcome>();

  const levelOf = (h: string): HospitalLevel => {
    const level = input.hospitals.get(h);
    if (!level) throw new Error(`hospital ${h} is not in the region`);
    return level;
  };

  const pricePerDiem = (c: ClaimRow, drgPriced?: PricedEpisode) => {
    const p = pricePerDiemClaim(
      {
        id: c.claimId,
        hospitalId: c.hospitalId,
        personId: c.personId,
        wardCategory: c.wardCategory,
        ...(c.drg ? { drg: c.drg } : {}),
        admissionDate: c.admissionDate,
        ...(c.periodStart ? { periodStart: c.periodStart } : {}),
        ...(c.periodEnd ? { periodEnd: c.periodEnd } : {}),
        ...(c.dischargeDate && !c.periodEnd ? { dischargeDate: c.dischargeDate } : {}),
        patientPaid: c.patientPaidFen,
      },
      parameters,
      drgPerDiem,
    );
    out.push({
      claimRowId: c.id,
      hospitalId: c.hospitalId,
      paymentClass: "per-diem",
      points: 0,
      amountFen: p.standard,
      patientPaidFen: c.patientPaidFen,
      flags: p.flags,
      explanation: { rule: `§3 per-bed-day, ${p.rateTable} rates`, kind: p.kind, countedDays: p.countedDays, fromOrdinal: p.fromOrdinal, toOrdinal: p.toOrdinal, lines: p.lines, overCapDays: p.overCapDays, standardFen: p.standard, fundFen: p.fundPayment, ...(drgPriced ? { drg: drgPriced.drg } : {}) },
    });
  };

  const consider = (c: ClaimRow, current: boolean) => {
    if (!c.dischargeDate || c.periodEnd) {
      if (!current) return;
      const viaDrg = c.drg ? drgPerDiem(c.drg) : undefined;
      if (parameters.perDiem[c.wardCategory] || (viaDrg && parameters.perDiem[viaDrg])) return pricePerDiem(c);
      out.push({ claimRowId: c.id, hospitalId: c.hospitalId, paymentClass: "review", points: 0, amountFen: 0, patientPaidFen: 0, flags: ["review", "interim-not-per-diem"], explanation: { rule: "interim claim of a ward without a per-diem table: only per-bed-day stays are settled before discharge" } });
      return;
    }
    const episode = drgEpisodeOf({ ...c, dischargeDate: c.dischargeDate });
    if (perDiemTableFor(episode, weightIndex.get(episode.drg), parameters) !== null) {
      if (current) pricePerDiem(c);
      return;
    }
    const ctx = { parameters, weights, weightIndex, hospital: { id: c.hospitalId, level: levelOf(c.hospitalId) } };
    let p = priceEpisode(episode, ctx);
    const decided = current ? input.decisions?.get(c.claimId) : undefined;
    if (decided) {
      // §7/§8 before the readmission rule, which still applies afterwards; the class stays pairable until written.
      const d = applyEpisodeDecisions(episode, p, decided, ctx);
      outcomes.set(drgEpisodes.length, { paymentClass: decided.violation ? "sanctioned" : "reviewed", deduction: d.deduction, classPoints: d.classPoints });
      p = d.priced;
    }
    drgEpisodes.push(episode);
    priced.push(p);
    rowOfEpisode.push(c);
    inMonth.push(current);
  };
  for (const c of input.context) consider(c, false);
  for (const c of input.claims) consider(c, true);

  const { episodes, adjustments } = applyReadmissionRule(drgEpisodes, priced, parameters, { isMonthSettled: (m, later) => m < later && m < input.period });
  episodes.forEach((e, i) => {
    if (!inMonth[i]) return;
    const c = rowOfEpisode[i]!;
    const decided = outcomes.get(i);
    out.push({
      claimRowId: c.id,
      hospitalId: c.hospitalId,
      paymentClass: decided?.paymentClass ?? (e.class as PaymentClass),
      points: e.settlementPoints,
      amountFen: 0,
      patientPaidFen: c.patientPaidFen,
      flags: e.flags,
      explanation: {
        ...e.explanation,
        drg: e.drg,
        adrg: e.adrg,
        classPoints: decided ? formatPoints(decided.classPoints) : e.pointsText,
        ...(decided ? { decidedPoints: e.pointsText, class: e.class } : {}),
        finalPoints: e.finalPointsText,
        ...(e.readmission ? { readmission: e.readmission } : {}),
      },
    });
    if (decided && decided.deduction > 0) {
      // §8: the deduction is its own row, keyed by the negated claim row id (one row per claim row and step).
      out.push({
        claimRowId: -c.id,
        hospitalId: c.hospitalId,
        paymentClass: "deduction",
        points: -decided.deduction,
        amountFen: 0,
        patientPaidFen: 0,
        flags: ["deduction"],
        explanation: { rule: "§8 points deducted for a confirmed violation", claimId: c.claimId, points: formatPoints(-decided.deduction) },
      });
    }
  });
  const rowByClaimId = new Map(rowOfEpisode.map((c) => [c.claimId, c]));
  for (const a of adjustments) {
    if (a.month !== input.period) continue;
    const earlier = rowByClaimId.get(a.episodeId)!;
    out.push({
      claimRowId: earlier.id,
      hospitalId: a.hospitalId,
      paymentClass: "adjustment",
      points: a.points,
      amountFen: 0,
      patientPaidFen: 0,
      flags: ["readmission"],
      explanation: { rule: a.reason, earlierClaimId: a.episodeId, laterClaimId: a.pairedEpisodeId, points: a.pointsText },
    });
  }
  return out.sort((a, b) => a.claimRowId - b.claimRowId || a.paymentClass.localeCompare(b.paymentClass));
}
