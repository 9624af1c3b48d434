/**
 * What a settlement run reads, fixed at its snapshot (RULES.md §6: every
 * amount reproducible). Claims are never changed in place, only superseded by
 * rows with higher ids, so "the claims current when the run started" is
 * exactly the claims current as of a row-id watermark: a row r with
 * r.id ≤ W and no later version of the same claim with id ≤ W. Later uploads
 * do not disturb a run in progress, and the snapshot is passed between
 * Workflow steps as a number, not as data.
 */
import { and, asc, eq, gt, gte, isNotNull, lt, lte, max, sql } from "drizzle-orm";
import { bundledSets } from "../../grouper";
import type { Database } from "../db/client";
import { latestParameterSet } from "../db/parameters";
import { claims, hospitals, parameterSets, regions } from "../db/schema";
import { loadWeightTable } from "../db/weights";
import { parseRegionYearParameters, type DrgWeightTable, type HospitalLevel, type RegionYearParameters } from "../payment";
import { epochDay, isoFromEpochDay } from "../payment/dates";
import { DomainError } from "../payment/errors";
import { contentHash } from "../util/content-hash";
import type { ClaimRow } from "./pricing";

/** A run's inputs are missing or moved: retrying the same run cannot help (the Workflow stops at once). */
export class RunInputError extends DomainError {
  override readonly name = "RunInputError";
}

/** The claim rows current as of watermark `w` (see module comment). */
function currentAsOf(w: number) {
  return sql`not exists (select 1 from claims as later where later.region_id = ${claims.regionId} and later.claim_id = ${claims.claimId} and later.version > ${claims.version} and later.id <= ${w})`;
}

export const claimRowColumns = {
  id: claims.id,
  claimId: claims.claimId,
  hospitalId: claims.hospitalId,
  personId: claims.personId,
  wardCategory: claims.wardCategory,
  admissionDate: claims.admissionDate,
  dischargeDate: claims.dischargeDate,
  periodStart: claims.periodStart,
  periodEnd: claims.periodEnd,
  adrg: claims.adrg,
  drg: claims.drg,
  mdc: claims.mdc,
  totalCostFen: claims.totalCostFen,
  patientPaidFen: claims.patientPaidFen,
  plannedReadmission: claims.plannedReadmission,
  settlementMonth: claims.settlementMonth,
};

/** The claim fields the supervision screens and the regrouping read (RULES.md §8), beside those pricing reads. */
export const screenColumns = {
  losDays: claims.losDays,
  sex: claims.sex,
  ageYears: claims.ageYears,
  ageDays: claims.ageDays,
  birthWeightGrams: claims.birthWeightGrams,
  dischargeStatus: claims.dischargeStatus,
  principalDx: claims.principalDx,
  secondaryDx: claims.secondaryDx,
  procedures: claims.procedures,
};
export type ScreenClaim = ClaimRow & Pick<typeof claims.$inferSelect, keyof typeof screenColumns>;
const chunkColumns = { ...claimRowColumns, ...screenColumns };

/** Rules, weights and hospitals a run prices with. */
export interface RunRules {
  parameterSetId: number;
  parameters: RegionYearParameters;
  weights: DrgWeightTable;
  hospitals: Map<string, HospitalLevel>;
  definitionSetId: string;
  definitionVersion: string;
  budgetFen: number;
}

/** The rules of a region-year: the latest parameter set, or the given one (a run keeps the set it started with). */
export async function loadYearRules(db: Database, regionId: string, year: number, parameterSetId?: number): Promise<Omit<RunRules, "budgetFen">> {
  const region = await db.query.regions.findFirst({ where: eq(regions.id, regionId) });
  if (!region) throw new RunInputError("not-found", `no region ${regionId}`);
  const set =
    parameterSetId === undefined
      ? await latestParameterSet(db, regionId, year)
      : await db.query.parameterSets.findFirst({ where: and(eq(parameterSets.id, parameterSetId), eq(parameterSets.regionId, regionId)) });
  if (!set) throw new RunInputError("no-parameters", `no parameter set for ${regionId} ${year}`);
  const parameters = parseRegionYearParameters(set.params);
  const weights = await loadWeightTable(db, regionId, year);
  if (!weights) throw new RunInputError("no-weights", `no DRG weight table for ${regionId} ${year}`);
  const rows = await db.select().from(hospitals).where(eq(hospitals.regionId, regionId)).orderBy(asc(hospitals.id));
  // The versioned parameter set wins; a hospital row's coefficient fills in where the set has none.
  const hospitalCoefficients = { ...Object.fromEntries(rows.filter((h) => h.coefficient !== null).map((h) => [h.id, h.coefficient!])), ...parameters.drg.hospitalCoefficients };
  return {
    parameterSetId: set.id,
    parameters: { ...parameters, drg: { ...parameters.drg, hospitalCoefficients } },
    weights,
    hospitals: new Map(rows.map((h) => [h.id, h.level])),
    definitionSetId: region.definitionSetId,
    definitionVersion: bundledSets[region.definitionSetId]?.version ?? "unknown",
  };
}

/** The rules of a region-period, with the month's budget B_m (§2). */
export async function loadRunRules(db: Database, regionId: string, period: string, parameterSetId?: number): Promise<RunRules> {
  const rules = await loadYearRules(db, regionId, Number(period.slice(0, 4)), parameterSetId);
  const budgetFen = rules.parameters.drg.monthlyBudgets[period];
  if (budgetFen === undefined) throw new RunInputError("no-monthly-budget", `the parameter set has no monthly DRG budget for ${period}`);
  return { ...rules, budgetFen };
}

export async function claimWatermark(db: Database): Promise<number> {
  const [row] = await db.select({ w: max(claims.id) }).from(claims);
  return row?.w ?? 0;
}

/**
 * First discharge date of the readmission context (§1): the R days count back from the later stay's
 * admission, and a stay discharged this month may have been admitted long before the month began, so the
 * window opens R days before the month's earliest admission (never later than R days before the month).
 */
async function readmissionContextFrom(db: Database, regionId: string, period: string, windowDays: number, watermark: number): Promise<string> {
  const [row] = await db
    .select({ first: sql<string | null>`min(${claims.admissionDate})` })
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.settlementMonth, period), lte(claims.id, watermark), currentAsOf(watermark)));
  const monthStart = epochDay(`${period}-01`);
  const earliest = row?.first ? Math.min(epochDay(row.first), monthStart) : monthStart;
  return isoFromEpochDay(earliest - windowDays);
}

const PAGE = 5_000;

export interface RunSnapshot {
  watermark: number;
  episodesTotal: number;
  /** Person ranges [from, to] (inclusive) of about `chunkEpisodes` month claims each, covering every person of the month. */
  ranges: { from: string; to: string }[];
  /** Earliest discharge date of the readmission context (see readmissionContextFrom). */
  contextFrom: string;
  inputHash: string;
}

/**
 * Fixes the run's inputs and hashes them: the claim rows of the month and of
 * the readmission context (claim id + content hash), the parameter set, weights,
 * hospitals and grouping set. Equal inputs give an equal hash whatever the
 * watermark. Reads in pages (bounded memory), hashing page by page.
 */
export async function snapshotRun(db: Database, regionId: string, period: string, rules: RunRules, watermark: number, chunkEpisodes: number, decisionsHash = ""): Promise<RunSnapshot> {
  const ranges = await personRanges(db, regionId, period, watermark, chunkEpisodes);
  const contextFrom = await readmissionContextFrom(db, regionId, period, rules.parameters.drg.readmission.windowDays, watermark);
  const monthWhere = and(eq(claims.regionId, regionId), eq(claims.settlementMonth, period), lte(claims.id, watermark), currentAsOf(watermark));
  // Hashed by claim id and content, not row id: putting a claim back to earlier content restores the earlier hash.
  const pageHashes: string[] = [];
  let total = 0;
  for (const [where, isMonth] of [[monthWhere, true], [contextWhere(regionId, period, contextFrom, watermark), false]] as const) {
    let after = "";
    for (;;) {
      const page = await db
        .select({ claimId: claims.claimId, h: claims.contentHash })
        .from(claims)
        .where(and(where, gt(claims.claimId, after)))
        .orderBy(asc(claims.claimId))
        .limit(PAGE);
      if (page.length === 0) break;
      if (isMonth) total += page.length;
      pageHashes.push(contentHash(page.map((r) => [r.claimId, r.h])));
      after = page[page.length - 1]!.claimId;
    }
    pageHashes.push("|");
  }
  const inputHash = contentHash({
    regionId,
    period,
    claims: pageHashes,
    parameterSetId: rules.parameterSetId,
    parameters: rules.parameters,
    weights: rules.weights,
    hospitals: [...rules.hospitals],
    definitionSet: [rules.definitionSetId, rules.definitionVersion],
    // The §7/§8 decisions the run applies (supervision/run-decisions.ts): the same decisions give the same hash.
    decisions: decisionsHash,
  });
  return { watermark, episodesTotal: total, ranges, contextFrom, inputHash };
}

/**
 * Cuts the month's persons into ranges of about `chunkEpisodes` claims. The counts include versions superseded
 * before the watermark: they only size the ranges, and counting them needs no table row, only the person index
 * (the exact "current as of" test per claim took most of a million-claim snapshot).
 */
async function personRanges(db: Database, regionId: string, period: string, watermark: number, chunkEpisodes: number): Promise<RunSnapshot["ranges"]> {
  const persons = await db
    .select({ personId: claims.personId, n: sql<number>`count(*)` })
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.settlementMonth, period), lte(claims.id, watermark)))
    .groupBy(claims.personId)
    .orderBy(asc(claims.personId));
  const ranges: RunSnapshot["ranges"] = [];
  let size = 0;
  for (const p of persons) {
    if (size === 0) ranges.push({ from: p.personId, to: p.personId });
    ranges[ranges.length - 1]!.to = p.personId;
    size += p.n;
    if (size >= chunkEpisodes) size = 0;
  }
  return ranges;
}

function contextWhere(regionId: string, period: string, from: string, watermark: number) {
  return and(
    eq(claims.regionId, regionId),
    lt(claims.settlementMonth, period),
    gte(claims.settlementMonth, from.slice(0, 7)),
    isNotNull(claims.dischargeDate),
    gte(claims.dischargeDate, from),
    lte(claims.id, watermark),
    currentAsOf(watermark),
  );
}

/** The month claims and readmission context of one person range. */
export async function loadChunkClaims(db: Database, regionId: string, period: string, contextFrom: string, watermark: number, range: { from: string; to: string }): Promise<{ claims: ScreenClaim[]; context: ScreenClaim[] }> {
  const inRange = and(gte(claims.personId, range.from), lte(claims.personId, range.to));
  const month = await db
    .select(chunkColumns)
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.settlementMonth, period), lte(claims.id, watermark), currentAsOf(watermark), inRange))
    .orderBy(asc(claims.id));
  const context = await db.select(chunkColumns).from(claims).where(and(contextWhere(regionId, period, contextFrom, watermark), inRange)).orderBy(asc(claims.id));
  return { claims: month, context };
}
