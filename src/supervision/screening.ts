/**
 * Runs the supervision screens (RULES.md §8, payment/supervision-screens.ts)
 * over claims and stores their flags in the review queue: on ingestion for the
 * claims just uploaded, and in each settlement run for the month's claims.
 * A flag is keyed by region, month, rule and subject, so screening again
 * (a retried step, a re-run) never duplicates one and never reopens a flag the
 * agency has decided. Upcoding regroups with the grouper itself.
 */
import { and, eq, gte, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { Grouper } from "../../grouper";
import type { Database } from "../db/client";
import { chunk } from "../db/client";
import { claims, regions, supervisionFlags } from "../db/schema";
import { asD1Statement } from "../db/literal-insert";
import { grouperFor } from "../grouping/grouper-for";
import {
  indexWeights,
  perDiemTableFor,
  screenLowStandardAdmission,
  screenSeverityShare,
  screenSplitStays,
  screenUpcodingSeverity,
  type DrgWeightTable,
  type RegionYearParameters,
  type ScreenEpisode,
  type ScreenFlag,
} from "../payment";
import { epochDay, isoFromEpochDay } from "../payment/dates";
import { contentHash } from "../util/content-hash";
import { claimRowColumns, loadYearRules, RunInputError, screenColumns, type ScreenClaim } from "../settlement/run-inputs";

const screenEpisode = (c: ScreenClaim): ScreenEpisode | null =>
  c.dischargeDate && !c.periodEnd
    ? { claimId: c.claimId, hospitalId: c.hospitalId, personId: c.personId, admissionDate: c.admissionDate, dischargeDate: c.dischargeDate, losDays: c.losDays, totalCost: c.totalCostFen, procedures: c.procedures, planned: c.plannedReadmission, adrg: c.adrg, drg: c.drg, month: c.settlementMonth }
    : null;

function regrouper(grouper: Grouper, c: ScreenClaim) {
  const fields = (secondaryDx: readonly string[]) => ({
    id: c.claimId,
    sex: (c.sex as "M" | "F" | null) ?? null,
    ageYears: c.ageYears,
    ageDays: c.ageDays,
    birthWeightGrams: c.birthWeightGrams,
    losDays: c.losDays,
    dischargeStatus: c.dischargeStatus,
    principalDx: c.principalDx,
    secondaryDx: [...secondaryDx],
    procedures: c.procedures,
  });
  return { group: (dx: readonly string[]) => grouper.group(fields(dx)) };
}

export interface ScreenInput {
  parameters: RegionYearParameters;
  weights: DrgWeightTable;
  definitionSetId: string;
  /** Claims to flag. */
  claims: readonly ScreenClaim[];
  /** Other stays of the same persons that a split stay may pair with (never flagged themselves). */
  context: readonly ScreenClaim[];
}

/** The episode screens (split-stay, low-standard-admission, upcoding-severity) over some claims. */
export function screenClaims(input: ScreenInput): ScreenFlag[] {
  const p = input.parameters.supervision;
  const index = indexWeights(input.weights);
  const grouper = grouperFor(input.definitionSetId)?.grouper;
  const drgPaid = (c: ScreenClaim) => {
    const e = screenEpisode(c);
    return e && perDiemTableFor({ wardCategory: c.wardCategory }, index.get(c.drg ?? ""), input.parameters) === null ? e : null;
  };
  const flagged = new Set(input.claims.map((c) => c.claimId));
  const all = [...input.context, ...input.claims].map(drgPaid).filter((e): e is ScreenEpisode => e !== null);
  const unique = [...new Map(all.map((e) => [e.claimId, e])).values()];
  const flags = screenSplitStays(unique, p, (e) => flagged.has(e.claimId));
  for (const c of input.claims) {
    const e = drgPaid(c);
    if (!e) continue;
    const low = screenLowStandardAdmission(e, index.get(c.drg ?? ""), p);
    if (low) flags.push(low);
    if (grouper && c.drg && p.severitySuffixes.some((s) => c.drg!.endsWith(s))) {
      const g = regrouper(grouper, c);
      const own = g.group(c.secondaryDx);
      const up = screenUpcodingSeverity(e, { secondaryDx: c.secondaryDx, counted: own.cc }, (dx) => g.group(dx), (d) => index.get(d), p);
      if (up) flags.push(up);
    }
  }
  return flags;
}

/** Month-level severity-share signal from the month's current claims (one aggregate query). */
export async function screenMonthSeverity(db: Database, regionId: string, month: string, parameters: RegionYearParameters, watermark: number): Promise<ScreenFlag[]> {
  const p = parameters.supervision;
  const severe = sql.join(p.severitySuffixes.map((s) => sql`${claims.drg} like ${`%${s}`}`), sql` or `);
  const cells = await db
    .select({ hospitalId: claims.hospitalId, adrg: claims.adrg, n: sql<number>`count(*)`, severe: sql<number>`sum(case when ${severe} then 1 else 0 end)` })
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.settlementMonth, month), eq(claims.status, "current"), lte(claims.id, watermark), isNotNull(claims.dischargeDate), isNotNull(claims.adrg)))
    .groupBy(claims.hospitalId, claims.adrg);
  return screenSeverityShare(cells.map((c) => ({ hospitalId: c.hospitalId, adrg: c.adrg!, episodes: c.n, severe: c.severe })), month, p);
}

export const flagIdOf = (regionId: string, f: ScreenFlag) => contentHash([regionId, f.month, f.rule, f.claimId ?? `adrg:${f.evidence["adrg"]}`]).slice(0, 32);

/** Insert-or-ignore statements for flags (a decided flag is never reopened). */
export function flagStatements(db: Database, regionId: string, flags: readonly ScreenFlag[], source: string) {
  return chunk(flags, 8).map((part) =>
    asD1Statement(
      db,
      db
        .insert(supervisionFlags)
        .values(part.map((f) => ({ id: flagIdOf(regionId, f), regionId, hospitalId: f.hospitalId, claimId: f.claimId, month: f.month, rule: f.rule, subject: f.claimId ?? `adrg:${String(f.evidence["adrg"])}`, parameters: f.parameters, evidence: f.evidence, source })))
        .onConflictDoNothing(),
    ),
  );
}

const claimColumns = { ...claimRowColumns, ...screenColumns };

/**
 * Screens claims just uploaded (by claim id) against the persons' other current stays within the split-stay
 * window, and queues their flags. Rules of each claim's year; a year without rules or weights is not screened.
 */
export async function screenUploadedClaims(
  db: Database,
  regionId: string,
  definitionSetId: string,
  claimIds: readonly string[],
  rulesOf: (year: number) => Promise<{ parameters: RegionYearParameters; weights: DrgWeightTable } | null>,
): Promise<number> {
  let queued = 0;
  for (const ids of chunk([...claimIds], 90)) {
    const uploaded = (await db.select(claimColumns).from(claims).where(and(eq(claims.regionId, regionId), eq(claims.status, "current"), inArray(claims.claimId, ids)))) as ScreenClaim[];
    const byYear = new Map<number, ScreenClaim[]>();
    for (const c of uploaded) byYear.set(Number(c.settlementMonth.slice(0, 4)), [...(byYear.get(Number(c.settlementMonth.slice(0, 4))) ?? []), c]);
    for (const [year, list] of byYear) {
      const rules = await rulesOf(year);
      if (!rules) continue;
      const window = rules.parameters.supervision.splitStayDays;
      const dates = list.map((c) => c.admissionDate).sort();
      const from = isoFromEpochDay(epochDay(dates[0]!) - window);
      const context: ScreenClaim[] = [];
      for (const persons of chunk([...new Set(list.map((c) => c.personId))], 90)) {
        context.push(
          ...((await db
            .select(claimColumns)
            .from(claims)
            .where(and(eq(claims.regionId, regionId), eq(claims.status, "current"), inArray(claims.personId, persons), isNotNull(claims.dischargeDate), gte(claims.dischargeDate, from)))) as ScreenClaim[]),
        );
      }
      const flags = screenClaims({ parameters: rules.parameters, weights: rules.weights, definitionSetId, claims: list, context });
      const statements = flagStatements(db, regionId, flags, "ingestion");
      if (statements.length > 0) await db.$client.batch(statements);
      queued += flags.length;
    }
  }
  return queued;
}

/** Uploads larger than this are screened by the month's settlement run instead, keeping bulk ingestion at its measured speed. */
export const SCREEN_ON_UPLOAD_MAX = 20_000;

/** Screens an upload's accepted claims on arrival (§8 "screens run on ingestion"), with the rules of each claim's year. */
export async function screenUpload(db: Database, regionId: string, claimIds: readonly string[]): Promise<number> {
  if (claimIds.length === 0 || claimIds.length > SCREEN_ON_UPLOAD_MAX) return 0;
  const region = await db.query.regions.findFirst({ where: eq(regions.id, regionId) });
  if (!region) return 0;
  return screenUploadedClaims(db, regionId, region.definitionSetId, claimIds, (year) =>
    loadYearRules(db, regionId, year).catch((err: unknown) => {
      if (err instanceof RunInputError) return null; // no parameters or weights for that year yet: the run screens it
      throw err;
    }),
  );
}
