/**
 * Capitation entitlement for outpatient special chronic diseases
 * (门诊慢特病按人头, RULES.md §4): each enrolled person has an annual quota by
 * disease; a person with several diseases gets 100% of the largest quota plus
 * 50% of each other (both rates are parameters). A person counts for a month
 * when enrolled on its first day. E = Σ quota × counted months / 12 and the
 * monthly prepayment = Σ quotas of the month's counted people / 12.
 *
 * Exactness: quotas are summed as exact rationals and rounded to the fen only
 * cumulatively (prepayment of month m = round(Σ through m) − round(Σ before m)),
 * so the twelve prepayments always add up to E exactly.
 */
import { z } from "zod";
import { firstDayOf, monthsOfYear } from "./dates.js";
import { PaymentRuleError } from "./errors.js";
import { roundHalfAwayFromZero, toSafeNumber, type Fen } from "./money.js";
import type { RegionYearParameters } from "./parameters.js";
import { dateSchema } from "./vocabulary.js";

export const enrolmentSchema = z
  .object({
    personId: z.string().min(1),
    diseases: z.array(z.string().min(1)).min(1).describe("disease keys of parameters.capitation.quotas"),
    enrolledFrom: dateSchema,
    enrolledUntil: dateSchema.nullable().optional().describe("last enrolled day (inclusive); null/absent = still enrolled"),
  })
  .refine((e) => e.enrolledUntil == null || e.enrolledUntil >= e.enrolledFrom, { path: ["enrolledUntil"], message: "enrolment ends before it starts" });
export type Enrolment = z.infer<typeof enrolmentSchema>;

export interface CapitationMonth {
  month: string;
  people: number;
  /** Monthly prepayment, fen. */
  prepayment: Fen;
}

export interface CapitationPerson {
  personId: string;
  countedMonths: number;
  /** The diseases counted in the person's last counted month. */
  diseases: string[];
  /** That month's annual quota (largest 100% + others 50%), fen, rounded for display. */
  annualQuota: Fen;
}

export interface CapitationEntitlement {
  entitlement: Fen;
  months: CapitationMonth[];
  persons: CapitationPerson[];
}

/** A person's annual quota in fen × 10000 (exact): the largest quota at largestRate, each other at otherRate. */
export function personQuotaScaled(diseases: Iterable<string>, parameters: RegionYearParameters, field = "diseases"): bigint {
  const { quotas, multiDisease } = parameters.capitation;
  const amounts = [...new Set(diseases)].map((d) => {
    const q = quotas[d];
    if (q === undefined) throw new PaymentRuleError("invalid-input", field, `no capitation quota for disease "${d}" in parameters.capitation.quotas`);
    return BigInt(q);
  });
  amounts.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  return amounts.reduce((sum, q, i) => sum + q * BigInt(i === 0 ? multiDisease.largestRate : multiDisease.otherRate), 0n);
}

export function capitationEntitlement(enrolments: ReadonlyArray<Enrolment>, year: number, parameters: RegionYearParameters): CapitationEntitlement {
  // Validate every disease once, naming the enrolment.
  enrolments.forEach((e, i) => e.diseases.forEach((d, j) => personQuotaScaled([d], parameters, `enrolments[${i}].diseases[${j}]`)));
  const persons = new Map<string, CapitationPerson>();
  const months: CapitationMonth[] = [];
  const DEN = 12n * 10_000n;
  let cumulative = 0n;
  let paidSoFar = 0n;
  for (const month of monthsOfYear(year)) {
    const first = firstDayOf(month);
    const diseasesByPerson = new Map<string, Set<string>>();
    for (const e of enrolments) {
      if (e.enrolledFrom <= first && (e.enrolledUntil == null || first <= e.enrolledUntil)) {
        const set = diseasesByPerson.get(e.personId) ?? new Set<string>();
        e.diseases.forEach((d) => set.add(d));
        diseasesByPerson.set(e.personId, set);
      }
    }
    let monthScaled = 0n;
    for (const [personId, diseases] of diseasesByPerson) {
      const q = personQuotaScaled(diseases, parameters);
      monthScaled += q;
      const p = persons.get(personId) ?? { personId, countedMonths: 0, diseases: [], annualQuota: 0 };
      p.countedMonths += 1;
      p.diseases = [...diseases].sort();
      p.annualQuota = toSafeNumber(roundHalfAwayFromZero(q, 10_000n));
      persons.set(personId, p);
    }
    cumulative += monthScaled;
    const dueSoFar = roundHalfAwayFromZero(cumulative, DEN);
    months.push({ month, people: diseasesByPerson.size, prepayment: toSafeNumber(dueSoFar - paidSoFar) });
    paidSoFar = dueSoFar;
  }
  for (const e of enrolments) if (!persons.has(e.personId)) persons.set(e.personId, { personId: e.personId, countedMonths: 0, diseases: [...e.diseases].sort(), annualQuota: 0 });
  return {
    entitlement: toSafeNumber(paidSoFar),
    months,
    persons: [...persons.values()].sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0)),
  };
}

/** Consortium entitlement (§4): per-capita amount × insured residents of the catchment, or an amount set by the agency. */
export function consortiumEntitlement(source: { perCapita: Fen; population: number } | { amount: Fen }): Fen {
  if ("amount" in source) return source.amount;
  return toSafeNumber(BigInt(source.perCapita) * BigInt(source.population), "entitlement");
}
