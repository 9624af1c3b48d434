import type { EpisodeFields } from "../../grouper/index.js";

/** An adult episode with no secondaries or procedures; override what the test is about. */
export function episode(over: Partial<EpisodeFields> = {}): EpisodeFields {
  return { id: "t1", sex: "M", ageYears: 50, ageDays: null, birthWeightGrams: null, losDays: 5, dischargeStatus: "1", principalDx: "J18.900", secondaryDx: [], procedures: [], ...over };
}

/** A neonate (age 0, given days and weight). */
export function neonate(days: number, grams: number | null, over: Partial<EpisodeFields> = {}): EpisodeFields {
  return episode({ sex: "F", ageYears: 0, ageDays: days, birthWeightGrams: grams, ...over });
}
