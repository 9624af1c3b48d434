/**
 * The region's DRG weight table (RULES.md §1): per DRG its relative weight RW_d
 * (4 places, 1/10000 units) and average cost per case avg_d (fen), plus the
 * all-case average avgAll. It is data for the region-year, kept apart from the
 * other parameters because it is large and versioned with the grouping set.
 */
import { z } from "zod";
import { fenSchema, ratio4Schema, wardCategorySchema } from "./vocabulary.js";

export const drgWeightSchema = z.object({
  drg: z.string().min(1),
  adrg: z.string().min(1).optional().describe("the DRG's ADRG, used for the readmission rule when an episode does not carry one"),
  rw: ratio4Schema.describe("RW_d in 1/10000 units (1.2000 = 12000)"),
  avgCost: fenSchema.min(1).describe("avg_d: regional average cost per case, fen"),
  perDiem: wardCategorySchema.optional().describe("when set, this DRG is paid per bed day with that ward category's rate table (§3)"),
});

export const drgWeightTableSchema = z
  .object({
    version: z.string().optional(),
    avgAllCost: fenSchema.min(1).describe("avgAll: all-case average cost, fen (prices ungroupable cases)"),
    drgs: z.array(drgWeightSchema),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.drgs.forEach((d, i) => {
      if (seen.has(d.drg)) ctx.addIssue({ code: "custom", path: ["drgs", i, "drg"], message: `duplicate DRG "${d.drg}"` });
      seen.add(d.drg);
    });
  });

export type DrgWeight = z.infer<typeof drgWeightSchema>;
export type DrgWeightTable = z.infer<typeof drgWeightTableSchema>;

/** Index of a weight table by DRG code. */
export function indexWeights(table: DrgWeightTable): Map<string, DrgWeight> {
  return new Map(table.drgs.map((d) => [d.drg, d]));
}
