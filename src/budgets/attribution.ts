/**
 * Attribution of claims to a budget account (RULES.md §4): a claim for a person
 * the account covers is internal spending I when the holder (or one of its
 * member hospitals) treated them, and outflow O when any other provider did —
 * O is paid to that provider and charged to the account.
 *
 * Fund value of a claim (what the budget is charged): total cost − patient
 * paid, in fen. It is the fund's liability as the claim states it on arrival;
 * DRG points and the month's point value change what a hospital is finally
 * paid, but a budget account tracks the medical-insurance money its people
 * consume, which the claim itself fixes. The amount is linear, so the fund
 * value of a group of claims equals the fund value of their summed costs.
 */
import type { Fen } from "../payment";

/** Claims of covered people summed per treating hospital and settlement month. */
export interface CoveredClaimGroup {
  hospitalId: string;
  /** Settlement month `YYYY-MM`: discharge month, or the interim period's month. */
  month: string;
  claims: number;
  totalCostFen: Fen;
  patientPaidFen: Fen;
}

/** The fund value (total cost − patient paid) of a claim or of a sum of claims. */
export function claimFundValue(c: { totalCostFen: Fen; patientPaidFen: Fen }): Fen {
  return c.totalCostFen - c.patientPaidFen;
}

export interface HospitalSpending {
  hospitalId: string;
  claims: number;
  fundValue: Fen;
}

export interface MonthSpending {
  month: string;
  internal: Fen;
  outflow: Fen;
}

export interface AttributedSpending {
  months: MonthSpending[];
  internal: Fen;
  outflow: Fen;
  /** Internal spending by holder hospital (every internal hospital listed, even without claims). */
  byInternalHospital: HospitalSpending[];
  /** Outflow by destination hospital, largest first. */
  byOutflowHospital: HospitalSpending[];
}

/**
 * Splits covered people's claims into internal and outflow, by month (the
 * given months, in order) and by hospital. Claims outside `months` are ignored.
 */
export function attributeSpending(groups: ReadonlyArray<CoveredClaimGroup>, internalHospitalIds: ReadonlyArray<string>, months: ReadonlyArray<string>): AttributedSpending {
  const internalSet = new Set(internalHospitalIds);
  const byMonth = new Map(months.map((m) => [m, { month: m, internal: 0, outflow: 0 }]));
  const internalBy = new Map(internalHospitalIds.map((h) => [h, { hospitalId: h, claims: 0, fundValue: 0 }]));
  const outflowBy = new Map<string, HospitalSpending>();
  for (const g of groups) {
    const month = byMonth.get(g.month);
    if (!month) continue;
    const value = claimFundValue(g);
    const isInternal = internalSet.has(g.hospitalId);
    if (isInternal) month.internal += value;
    else month.outflow += value;
    const by = isInternal ? internalBy : outflowBy;
    const line = by.get(g.hospitalId) ?? { hospitalId: g.hospitalId, claims: 0, fundValue: 0 };
    line.claims += g.claims;
    line.fundValue += value;
    by.set(g.hospitalId, line);
  }
  const monthList = [...byMonth.values()];
  return {
    months: monthList,
    internal: monthList.reduce((s, m) => s + m.internal, 0),
    outflow: monthList.reduce((s, m) => s + m.outflow, 0),
    byInternalHospital: [...internalBy.values()],
    byOutflowHospital: [...outflowBy.values()].sort((a, b) => b.fundValue - a.fundValue || (a.hospitalId < b.hospitalId ? -1 : 1)),
  };
}
