/**
 * Runs previews for a caller: resolves each request's hospital (tenancy), year,
 * parameters and weights from the per-isolate cache, groups the episode and
 * prices it. Failures are per item, so a batch reports each bad item and
 * previews the others.
 */
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { priorStaysOf } from "../db/prior-stays";
import { grouperFor } from "../grouping/grouper-for";
import { DomainError } from "../payment/errors";
import { avgAllPointValue, invalidateRegion, regionEntry, regionYearEntry, type RegionEntry } from "./cache";
import { groupedLosDays, previewEpisode } from "./preview";
import type { PreviewRequest, PreviewResult } from "./schemas";

export type PreviewOutcome = { ok: true; result: PreviewResult } | { ok: false; problem: DomainError };

/** The year whose parameters and weights apply: asked for, else the discharge (or admission) year, else the latest with weights. */
function yearOf(req: PreviewRequest, region: RegionEntry): number | undefined {
  const date = req.dischargeDate ?? req.admissionDate;
  return req.year ?? (date ? Number(date.slice(0, 4)) : region.weightYears[0]);
}

/** RULES.md tenancy: a hospital previews only itself; an agency any hospital of its region; another tenant's hospital is 404. */
function hospitalFor(p: Principal, region: RegionEntry, hospitalId: string) {
  const h = region.hospitals.get(hospitalId);
  if (!h || (p.role === "hospital" && p.hospitalId !== hospitalId)) throw new DomainError("not-found", `No hospital ${hospitalId}.`);
  return h;
}

export async function runPreviews(db: Database, p: Principal, requests: readonly PreviewRequest[]): Promise<PreviewOutcome[]> {
  let region = await regionEntry(db, p.regionId);
  const set = grouperFor(region.definitionSetId);
  if (!set) throw new DomainError("set-not-bundled", `Definition set ${region.definitionSetId} of region ${p.regionId} is not bundled.`);

  // A hospital added since the region was cached: reload once before calling it unknown
  // (only for hospitals the caller could see, so foreign ids cannot force reloads).
  if (requests.some((r) => !region.hospitals.has(r.hospitalId) && (p.role === "agency" || r.hospitalId === p.hospitalId))) {
    invalidateRegion(p.regionId);
    region = await regionEntry(db, p.regionId);
  }

  const wantsHistory = requests.filter((r) => r.personId && r.admissionDate).map((r) => r.personId!);
  const history = wantsHistory.length > 0 ? await priorStaysOf(db, p.regionId, wantsHistory) : new Map();

  return Promise.all(
    requests.map(async (req): Promise<PreviewOutcome> => {
      try {
        const hospital = hospitalFor(p, region, req.hospitalId);
        const year = yearOf(req, region);
        if (year === undefined) throw new DomainError("no-weights", `Region ${p.regionId} has no DRG weight table.`, [{ field: "year", message: "no year with DRG weights" }]);
        const entry = await regionYearEntry(db, region, year);
        const group = set.grouper.group({
          id: req.id ?? null,
          sex: req.sex ?? null,
          ageYears: req.ageYears ?? null,
          ageDays: req.ageDays ?? null,
          birthWeightGrams: req.birthWeightGrams ?? null,
          losDays: groupedLosDays(req),
          dischargeStatus: req.dischargeStatus ?? null,
          principalDx: req.principalDx,
          secondaryDx: req.secondaryDx,
          procedures: req.procedures,
        });
        const result = previewEpisode(req, group, {
          regionId: p.regionId,
          year,
          set: set.view,
          parameters: entry.parameters,
          weights: entry.weights,
          weightIndex: entry.weightIndex,
          hospital: { id: hospital.id, level: hospital.level },
          pointValue: region.settledPointValue ?? avgAllPointValue(entry.weights),
          priorStays: req.personId ? (history.get(req.personId) ?? []) : [],
        });
        return { ok: true, result };
      } catch (err) {
        if (err instanceof DomainError) return { ok: false, problem: err };
        throw err;
      }
    }),
  );
}
