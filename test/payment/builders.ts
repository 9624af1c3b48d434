/** Small builders for payment-rule tests: yuan in, fen out; only what a test cares about is spelled out. */
import { defaultParameters, type RegionYearParameters } from "../../src/payment/parameters.js";
import type { DrgEpisode, Hospital } from "../../src/payment/drg-pricing.js";
import type { DrgWeightTable } from "../../src/payment/weights.js";

export const yuan = (y: number): number => Math.round(y * 100);

export function params(overrides: (p: RegionYearParameters) => void = () => {}, year = 2026): RegionYearParameters {
  const p = defaultParameters({ year, region: "test" });
  overrides(p);
  return p;
}

/** Example A's weight table (RULES.md §2). */
export function exampleWeights(): DrgWeightTable {
  return {
    avgAllCost: yuan(10_000),
    drgs: [
      { drg: "A", adrg: "AA", rw: 12_000, avgCost: yuan(12_000) },
      { drg: "B", adrg: "BB", rw: 5_000, avgCost: yuan(5_000) },
      { drg: "C", adrg: "CC", rw: 25_000, avgCost: yuan(25_000) },
    ],
  };
}

export const hospital = (id: string, level: Hospital["level"] = "tertiary", score?: number): Hospital => ({ id, level, ...(score === undefined ? {} : { score }) });

let seq = 0;
export function episode(fields: Partial<DrgEpisode> & { drg: string; cost: number; paid?: number }): DrgEpisode {
  const { cost, paid, ...rest } = fields;
  return {
    id: `e${++seq}`,
    hospitalId: "H1",
    admissionDate: "2026-10-01",
    dischargeDate: "2026-10-10",
    totalCost: yuan(cost),
    patientPaid: yuan(paid ?? 0),
    ...rest,
  };
}
