/**
 * Patient-share preview (三重保障, RULES.md §5, optional layer): what the basic
 * fund, critical-illness insurance and medical assistance would pay for one
 * admission, and what is left to the patient, each layer itemised.
 *
 * Assumptions where RULES.md is silent (all amounts/rates are parameters):
 * - the deductible applies per admission (as §5 says) and only to in-policy cost;
 * - basic fund = round(ratio × (in-policy cost − deductible)), limited by the
 *   annual cap minus what the basic fund already paid this year
 *   (`priorThisYear.basicFundPaid`); the part above the cap stays with the patient;
 * - critical-illness insurance pays `rate` of the part of this admission's
 *   in-policy patient burden that lies above the annual threshold, counting the
 *   burden already borne this year (`priorThisYear.inPolicyBurden`); it applies
 *   to the schemes listed in the parameters (both by default);
 * - medical assistance (key groups only) pays `rate` of the in-policy burden
 *   remaining after critical illness; out-of-policy cost is never covered;
 * - the default annual cap is 300,000 yuan per scheme (parameters.ts).
 */
import { z } from "zod";
import { applyRate, type Fen } from "./money.js";
import type { RegionYearParameters } from "./parameters.js";
import { fenSchema, hospitalLevelSchema, schemeSchema } from "./vocabulary.js";

export const patientShareInputSchema = z.object({
  scheme: schemeSchema,
  level: hospitalLevelSchema,
  inPolicyCost: fenSchema,
  outOfPolicyCost: fenSchema.optional(),
  keyGroup: z.boolean().optional().describe("member of a medical-assistance key group (低保, 特困 …)"),
  priorThisYear: z
    .object({
      basicFundPaid: fenSchema.describe("what the basic fund already paid for this person this year"),
      inPolicyBurden: fenSchema.describe("in-policy cost the person already bore this year (before assistance)"),
    })
    .optional(),
});
export type PatientShareInput = z.infer<typeof patientShareInputSchema>;

export interface PatientShareLayer {
  layer: "deductible" | "basic-fund" | "coinsurance" | "above-annual-cap" | "critical-illness" | "medical-assistance" | "out-of-policy";
  payer: "patient" | "basic-fund" | "critical-illness" | "medical-assistance";
  amount: Fen;
  basis: string;
}

export interface PatientSharePreview {
  totalCost: Fen;
  deductible: Fen;
  basicFund: Fen;
  coinsurance: Fen;
  aboveAnnualCap: Fen;
  inPolicyBurden: Fen;
  criticalIllness: Fen;
  medicalAssistance: Fen;
  outOfPolicy: Fen;
  patientPays: Fen;
  /** Who finally pays what; sums to totalCost exactly. */
  byPayer: { basicFund: Fen; criticalIllness: Fen; medicalAssistance: Fen; patient: Fen };
  /**
   * The layers in order: deductible, basic fund, coinsurance and above-cap split
   * the in-policy cost; critical illness and medical assistance then relieve part
   * of the patient's in-policy burden (deductible + coinsurance + above-cap), so
   * they are not added on top; out-of-policy cost stays with the patient.
   */
  layers: PatientShareLayer[];
}

export function previewPatientShare(input: PatientShareInput, parameters: RegionYearParameters): PatientSharePreview {
  const ps = parameters.patientShare;
  const outOfPolicy = input.outOfPolicyCost ?? 0;
  const prior = input.priorThisYear ?? { basicFundPaid: 0, inPolicyBurden: 0 };
  const deductible = Math.min(ps.deductibleByLevel[input.level], input.inPolicyCost);
  const eligible = input.inPolicyCost - deductible;
  const ratio = ps.inPolicyRatio[input.scheme][input.level];
  const basicUncapped = applyRate(eligible, ratio);
  const capLeft = Math.max(0, ps.annualCap[input.scheme] - prior.basicFundPaid);
  const basicFund = Math.min(basicUncapped, capLeft);
  const aboveAnnualCap = basicUncapped - basicFund;
  const coinsurance = eligible - basicUncapped;
  const inPolicyBurden = deductible + coinsurance + aboveAnnualCap;

  const ci = ps.criticalIllness;
  const belowThreshold = Math.max(0, ci.threshold - prior.inPolicyBurden);
  const overThreshold = Math.max(0, inPolicyBurden - belowThreshold);
  const criticalIllness = ci.schemes.includes(input.scheme) ? applyRate(overThreshold, ci.rate) : 0;
  const remaining = inPolicyBurden - criticalIllness;
  const medicalAssistance = input.keyGroup ? applyRate(remaining, ps.medicalAssistance.rate) : 0;
  const patientPays = remaining - medicalAssistance + outOfPolicy;

  const pct = (r: number) => `${r / 100}%`;
  const layers: PatientShareLayer[] = [
    { layer: "deductible", payer: "patient", amount: deductible, basis: `deductible for a ${input.level} hospital, per admission` },
    { layer: "basic-fund", payer: "basic-fund", amount: basicFund, basis: `${pct(ratio)} of in-policy cost above the deductible (${input.scheme}, ${input.level})` },
    { layer: "coinsurance", payer: "patient", amount: coinsurance, basis: `${pct(10_000 - ratio)} of in-policy cost above the deductible` },
    { layer: "above-annual-cap", payer: "patient", amount: aboveAnnualCap, basis: `basic fund limited to the annual cap (${capLeft} fen left)` },
    { layer: "critical-illness", payer: "critical-illness", amount: criticalIllness, basis: `relieves ${pct(ci.rate)} of the patient's in-policy burden above the annual threshold (${ci.threshold} fen)` },
    { layer: "medical-assistance", payer: "medical-assistance", amount: medicalAssistance, basis: input.keyGroup ? `relieves ${pct(ps.medicalAssistance.rate)} of the remaining in-policy burden (key group)` : "not a key group" },
    { layer: "out-of-policy", payer: "patient", amount: outOfPolicy, basis: "out-of-policy cost, borne by the patient" },
  ];
  return {
    totalCost: input.inPolicyCost + outOfPolicy,
    deductible,
    basicFund,
    coinsurance,
    aboveAnnualCap,
    inPolicyBurden,
    criticalIllness,
    medicalAssistance,
    outOfPolicy,
    patientPays,
    byPayer: { basicFund, criticalIllness, medicalAssistance, patient: patientPays },
    layers,
  };
}
