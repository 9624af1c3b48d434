/**
 * Region parameters of the agency's monthly review (RULES.md §7 special-case
 * review, §8 fund supervision and appeals). Part of the region-year set
 * (`parameters.supervision`); a set stored before these rules existed takes
 * the RULES.md defaults. Self-contained (zod only) so that parameters.ts can
 * embed it without an import cycle. Units as in parameters.ts: ratios in
 * integer 1/10000 units (5% = 500, 1.5 = 15000).
 */
import { z } from "zod";
import { ratio4Schema as ratio4 } from "./vocabulary.js";

const count = z.number().int().min(0).max(100_000);

/** What a confirmed violation does to the episode's own points (§8 table, middle column). */
export const VIOLATION_EPISODE_EFFECTS = ["zero", "unchanged", "corrected-drg"] as const;
/** What it deducts from the hospital (§8 table, right column), before the multiplier. */
export const VIOLATION_DEDUCTION_BASES = ["none", "base", "base-if-serious", "upcoded-difference"] as const;

export const violationKindSchema = z.object({
  nameZh: z.string().optional(),
  episode: z.enum(VIOLATION_EPISODE_EFFECTS).describe("zero: the episode earns 0 points; unchanged; corrected-drg: §1 points at the DRG the agency sets"),
  deduction: z
    .enum(VIOLATION_DEDUCTION_BASES)
    .describe("base: base_d = RW_d × 100; base-if-serious: base_d only when marked serious; upcoded-difference: original − corrected points when positive"),
  multiplier: ratio4.describe("deduction multiplier in 1/10000 units (2 × = 20000)"),
});
export type ViolationKindRule = z.infer<typeof violationKindSchema>;

export const DEFAULT_VIOLATION_KINDS: Record<string, ViolationKindRule> = {
  "split-stay": { nameZh: "分解住院", episode: "zero", deduction: "base-if-serious", multiplier: 10_000 },
  "bed-occupying": { nameZh: "挂床", episode: "zero", deduction: "base-if-serious", multiplier: 10_000 },
  upcoding: { nameZh: "高套", episode: "corrected-drg", deduction: "upcoded-difference", multiplier: 20_000 },
  "cost-shifting": { nameZh: "分解至门诊/要求自费", episode: "unchanged", deduction: "base", multiplier: 20_000 },
  fraud: { nameZh: "欺诈骗保", episode: "zero", deduction: "base", multiplier: 50_000 },
};

export const supervisionParametersSchema = z
  .object({
    reviewCapShare: z.number().int().min(0).max(10_000).describe("§7: accepted reviews per hospital-month at most max(reviewMinPerMonth, floor(share × n)); 500 = 5%"),
    reviewMinPerMonth: count.describe("§7: the cap is never below this"),
    appealDays: z.number().int().min(1).max(365).describe("§8: days after a decision within which the hospital may appeal"),
    splitStayDays: z.number().int().min(0).max(365).describe("§8 split-stay screen: readmission within R days of a discharge, whatever the ADRG"),
    shortStayDays: z.number().int().min(0).max(365).describe("§8 low-standard-admission: LOS ≤ this"),
    lowCostShare: ratio4.describe("§8 low-standard-admission: cost < share × avg_d (3000 = 0.3)"),
    severitySuffixes: z.array(z.string().min(1)).describe("§8 upcoding: DRG code suffixes of the severe splits (1 and 3)"),
    peerRatio: ratio4.describe("§8 severity-share signal: hospital share ≥ ratio × region share (15000 = 1.5)"),
    peerMinEpisodes: count.describe("§8 severity-share signal: at least this many episodes of the hospital in the ADRG"),
    violationKinds: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, "kind names are lower-case words joined by -"), violationKindSchema)
      .refine((k) => Object.keys(k).length > 0, "at least one violation kind")
      .describe("§8 confirmed-violation kinds and their effects"),
  })
  .describe("§7 special-case review and §8 fund supervision");

export type SupervisionParameters = z.infer<typeof supervisionParametersSchema>;

export function defaultSupervisionParameters(): SupervisionParameters {
  return {
    reviewCapShare: 500,
    reviewMinPerMonth: 1,
    appealDays: 10,
    splitStayDays: 15,
    shortStayDays: 2,
    lowCostShare: 3_000,
    severitySuffixes: ["1", "3"],
    peerRatio: 15_000,
    peerMinEpisodes: 20,
    violationKinds: structuredClone(DEFAULT_VIOLATION_KINDS),
  };
}
