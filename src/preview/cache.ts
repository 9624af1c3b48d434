/**
 * Per-isolate cache of what a preview needs from D1: the region's definition
 * set id, its hospitals, the latest parameter set and weight table of a year,
 * and the latest point value. With it a preview makes no D1 round trip beyond
 * authentication (and the readmission lookup when a personId is given).
 *
 * Invalidation (documented choice): entries live for CACHE_TTL_MS and are
 * dropped at once in this isolate when the agency publishes parameters
 * (`invalidateRegion`, called by PUT .../parameters and by a run's approval, which changes the point value). Other isolates pick a
 * change up within the TTL. A version-stamp query per request would cost the
 * very round trip the cache exists to avoid; parameter sets and weights change
 * a few times a year and a preview is an estimate, so a minute of staleness in
 * other isolates is acceptable. Settlement runs and claims do not pass through
 * here, so they are never served stale to a settlement.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { latestParameterSet } from "../db/parameters";
import { hospitals, regions, settlementRuns, weightTables } from "../db/schema";
import { loadWeightTable } from "../db/weights";
import { DomainError } from "../payment/errors";
import { indexWeights, parsePoints, parseRegionYearParameters, pointValueOf, type DrgWeight, type DrgWeightTable, type HospitalLevel, type RegionYearParameters } from "../payment";
import { FINISHED_RUN_STATUSES } from "../payment/vocabulary";
import type { PointValueBasis } from "./preview";

export const CACHE_TTL_MS = 60_000;

export interface RegionEntry {
  regionId: string;
  definitionSetId: string;
  hospitals: Map<string, { id: string; level: HospitalLevel; coefficient: number | null }>;
  /** Years with a weight table, newest first. */
  weightYears: number[];
  /** The latest approved settlement run's point value, if any month is approved (RULES.md §2). */
  settledPointValue: PointValueBasis | null;
}

export interface RegionYearEntry {
  parameters: RegionYearParameters;
  parameterSetId: number;
  weights: DrgWeightTable;
  weightIndex: Map<string, DrgWeight>;
}

interface Cached<T> {
  value: T;
  expires: number;
}

const regionCache = new Map<string, Cached<Promise<RegionEntry>>>();
const yearCache = new Map<string, Cached<Promise<RegionYearEntry>>>();

/** Drops everything cached for a region in this isolate (after a parameter or weight change). */
export function invalidateRegion(regionId: string): void {
  regionCache.delete(regionId);
  for (const key of yearCache.keys()) if (key.startsWith(`${regionId}:`)) yearCache.delete(key);
}

function cached<T>(map: Map<string, Cached<Promise<T>>>, key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = map.get(key);
  if (hit && hit.expires > now) return hit.value;
  // Cache the promise so concurrent requests share one load; forget it if the load fails.
  const value = load();
  map.set(key, { value, expires: now + CACHE_TTL_MS });
  value.catch(() => {
    if (map.get(key)?.value === value) map.delete(key);
  });
  return value;
}

export function regionEntry(db: Database, regionId: string): Promise<RegionEntry> {
  return cached(regionCache, regionId, () => loadRegion(db, regionId));
}

export function regionYearEntry(db: Database, region: RegionEntry, year: number): Promise<RegionYearEntry> {
  return cached(yearCache, `${region.regionId}:${year}`, () => loadRegionYear(db, region, year));
}

async function loadRegion(db: Database, regionId: string): Promise<RegionEntry> {
  const [regionRows, hospitalRows, yearRows, runRows] = await db.batch([
    db.select({ definitionSetId: regions.definitionSetId }).from(regions).where(eq(regions.id, regionId)),
    db.select({ id: hospitals.id, level: hospitals.level, coefficient: hospitals.coefficient }).from(hospitals).where(eq(hospitals.regionId, regionId)),
    db.select({ year: weightTables.year }).from(weightTables).where(eq(weightTables.regionId, regionId)).orderBy(desc(weightTables.year)),
    db
      .select({ id: settlementRuns.id, period: settlementRuns.period, totals: settlementRuns.totals })
      .from(settlementRuns)
      // Only an approved run's value was paid: a draft may be a wrong or empty run the agency will discard.
      .where(and(eq(settlementRuns.regionId, regionId), eq(settlementRuns.status, "approved")))
      .orderBy(desc(settlementRuns.period))
      .limit(1),
  ]);
  const region = regionRows[0];
  if (!region) throw new DomainError("not-found", `No region ${regionId}.`);
  return {
    regionId,
    definitionSetId: region.definitionSetId,
    hospitals: new Map(hospitalRows.map((h) => [h.id, h])),
    weightYears: yearRows.map((r) => r.year),
    settledPointValue: runRows[0] ? settledPointValue(runRows[0], runRows[0].totals) : null,
  };
}

/**
 * The point value an approved run recorded: its totals keep the month's pool
 * (`poolFen`) and total points (`totalPoints`, "919.5000"), the exact fraction
 * behind the displayed `pointValue` (RULES.md §2). A run without points that
 * month has no point value and is skipped.
 */
export function settledPointValue(run: { id: string; period: string }, totals: Record<string, unknown> | null): PointValueBasis | null {
  const { period } = run;
  const poolFen = totals?.poolFen;
  const totalPoints = totals?.totalPoints;
  if (typeof poolFen !== "number" || typeof totalPoints !== "string" || totals?.pointValue === null) return null;
  const units = parsePoints(totalPoints);
  if (units <= 0) return null;
  return {
    source: "settlement",
    period,
    runId: run.id,
    poolFen,
    totalPoints: units,
    basis: `point value of the latest approved monthly settlement (${period}, run ${run.id}): pool ${poolFen} fen / ${totalPoints} points (RULES.md §2)`,
  };
}

/**
 * Before any month is approved there is no paid point value. Estimating
 * B_m ÷ expected points would need the month's points before its claims
 * exist, so the preview uses avgAll per 100 points instead: an RW 1.0000
 * normal case at k 1.00 (100 points) is then worth the all-case average cost,
 * the value the weights were calibrated on.
 */
export function avgAllPointValue(weights: DrgWeightTable): PointValueBasis {
  const perPoint = pointValueOf(weights.avgAllCost, 1_000_000).yuanPerPoint;
  return {
    source: "avg-all",
    period: null,
    runId: null,
    poolFen: weights.avgAllCost,
    totalPoints: 1_000_000, // 100 points in 1/10000 units
    basis: `no month is approved yet: estimated point value avgAll / 100 = ${perPoint} yuan per point (RULES.md §1 weights; the settled value will differ)`,
  };
}

async function loadRegionYear(db: Database, region: RegionEntry, year: number): Promise<RegionYearEntry> {
  const [set, weights] = await Promise.all([latestParameterSet(db, region.regionId, year), loadWeightTable(db, region.regionId, year)]);
  if (!set) throw new DomainError("no-parameters", `Region ${region.regionId} has no parameter set for ${year}.`, [{ field: "year", message: `no parameter set for ${year}` }]);
  if (!weights) throw new DomainError("no-weights", `Region ${region.regionId} has no DRG weight table for ${year}.`, [{ field: "year", message: `no DRG weights for ${year}` }]);
  const parameters = parseRegionYearParameters(set.params);
  // k_h: the parameter set's override wins; else the hospital's own coefficient; else the level default (§1).
  const coefficients = { ...parameters.drg.hospitalCoefficients };
  for (const h of region.hospitals.values()) if (h.coefficient !== null && coefficients[h.id] === undefined) coefficients[h.id] = h.coefficient;
  return {
    parameters: { ...parameters, drg: { ...parameters.drg, hospitalCoefficients: coefficients } },
    parameterSetId: set.id,
    weights,
    weightIndex: indexWeights(weights),
  };
}
