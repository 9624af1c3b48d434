import { z } from "zod";

/**
 * One inpatient episode (GROUPER.md "Input"). Absent numbers may be null or
 * omitted; how a missing number is read is the engine's business (see
 * group.ts: the national reference reads it as 0).
 */
export const episodeSchema = z.object({
  // No transforms here, so the schema stays representable in OpenAPI; the engine echoes ids as strings.
  id: z.union([z.string().max(200), z.number()]).nullable().optional(),
  sex: z.enum(["M", "F"]).nullable().optional(),
  ageYears: z.number().int().min(0).max(150).nullable().optional(),
  ageDays: z.number().int().min(0).max(60000).nullable().optional(),
  birthWeightGrams: z.number().min(0).max(10000).nullable().optional(),
  losDays: z.number().int().min(0).nullable().optional(),
  dischargeStatus: z.union([z.string().max(20), z.number()]).nullable().optional(),
  principalDx: z.string().max(64).nullable().optional(),
  secondaryDx: z.array(z.string().max(64)).max(200).default([]),
  procedures: z.array(z.string().max(64)).max(200).default([]),
});

export type Episode = z.output<typeof episodeSchema>;
export type EpisodeInput = z.input<typeof episodeSchema>;

/** What the engine reads; `Episode` satisfies it. */
export interface EpisodeFields {
  id?: string | number | null;
  sex?: "M" | "F" | null;
  ageYears?: number | null;
  ageDays?: number | null;
  birthWeightGrams?: number | null;
  losDays?: number | null;
  dischargeStatus?: string | number | null;
  principalDx?: string | null;
  secondaryDx?: readonly string[];
  procedures?: readonly string[];
}

const isNum = (v: unknown, min: number, max: number, int: boolean) =>
  typeof v === "number" && Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v));

function optional(v: unknown, check: (v: unknown) => boolean): boolean {
  return v === undefined || v === null || check(v);
}
const isId = (v: unknown) => (typeof v === "string" && v.length <= 200) || (typeof v === "number" && Number.isFinite(v));
const isStatus = (v: unknown) => (typeof v === "string" && v.length <= 20) || (typeof v === "number" && Number.isFinite(v));
const isSex = (v: unknown) => v === "M" || v === "F";
const isAgeYears = (v: unknown) => isNum(v, 0, 150, true);
const isAgeDays = (v: unknown) => isNum(v, 0, 60000, true);
const isWeight = (v: unknown) => isNum(v, 0, 10000, false);
const isLos = (v: unknown) => isNum(v, 0, Number.MAX_SAFE_INTEGER, true);
const isCode = (v: unknown) => typeof v === "string" && v.length <= 64;
function isCodeList(v: unknown): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v) || v.length > 200) return false;
  for (let i = 0; i < v.length; i++) if (!isCode(v[i])) return false;
  return true;
}

/**
 * True when `o` passes `episodeSchema` as it is (extra keys aside), so the
 * engine can read it without a copy: the CLI's per-line check.
 */
export function isEpisodeFields(o: unknown): o is EpisodeFields {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return false;
  const r = o as Record<string, unknown>;
  return (
    optional(r.id, isId) && optional(r.sex, isSex) && optional(r.ageYears, isAgeYears) && optional(r.ageDays, isAgeDays) &&
    optional(r.birthWeightGrams, isWeight) && optional(r.losDays, isLos) && optional(r.dischargeStatus, isStatus) &&
    optional(r.principalDx, isCode) && isCodeList(r.secondaryDx) && isCodeList(r.procedures)
  );
}

/**
 * Fast structural check for bulk input (CLI, batch): accepts exactly what
 * `episodeSchema` accepts for the common shapes and returns null otherwise, so
 * the caller can fall back to the schema for a precise error message.
 */
export function readEpisodeFast(o: unknown): Episode | null {
  if (!isEpisodeFields(o)) return null;
  const r = o as Record<string, unknown>;
  return {
    id: r.id as Episode["id"],
    sex: r.sex as Episode["sex"],
    ageYears: r.ageYears as number | null | undefined,
    ageDays: r.ageDays as number | null | undefined,
    birthWeightGrams: r.birthWeightGrams as number | null | undefined,
    losDays: r.losDays as number | null | undefined,
    dischargeStatus: r.dischargeStatus as Episode["dischargeStatus"],
    principalDx: r.principalDx as string | null | undefined,
    secondaryDx: (r.secondaryDx as string[] | undefined) ?? [],
    procedures: (r.procedures as string[] | undefined) ?? [],
  };
}
