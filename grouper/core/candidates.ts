/**
 * Which ADRGs an episode can possibly match, so that an entered MDC tests only
 * those instead of walking its whole list (a speed index; it never changes a
 * result). Every ADRG rule has a necessary condition that is a single lookup:
 * the principal is in the ADRG's diagnosis list, some procedure is in its `ss`
 * list, the main procedure is an OR procedure, or nothing. Per episode the
 * positions whose condition holds are set in a bitset; positions number the
 * MDCs' ADRG lists one after another in test order, so scanning the set bits
 * of an MDC's range visits its candidates in the order the sequence tests them.
 */
import type { AdrgRule, CompiledAdrg, CompiledSet } from "./types.js";

type Need = "pdx" | "proc" | "mainIsOr" | "none" | "conditions";

/** The cheapest necessary condition of each rule (a rule with several parts needs all of them, so any one will do). */
const NEED: Record<AdrgRule, Need> = {
  PDX: "pdx", PDX_AND_MAIN_PROC: "pdx", PDX_AND_ANY_PROC: "pdx", PDX_AND_NEONATE: "pdx",
  PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1: "pdx", PDX_AND_TAGS: "pdx",
  MAIN_PROC: "proc", ANY_PROC: "proc", MAIN_PROC_AND_NEONATE: "proc", ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1: "proc",
  MAIN_PROC_IS_OR: "mainIsOr", ANY_DX_AND_MAIN_PROC_IS_OR: "mainIsOr",
  NO_OR_PROC: "none", ANY_DX_AND_NEONATE_WEIGHT: "none", ALWAYS: "none",
  CONDITIONS: "conditions",
};

/**
 * A CONDITIONS rule holds when one of its groups holds, so it needs, for each
 * group, one of that group's look-up terms; a group without one (say only
 * SECONDARY_DX_IN) makes the ADRG a candidate always.
 */
function conditionNeeds(a: CompiledAdrg): { dx: number[][]; proc: number[][]; mainIsOr: boolean } | null {
  // Lists, not codes: several groups often share one list (the principal list of every part), which is indexed once.
  const dx = new Set<number[]>();
  const proc = new Set<number[]>();
  let mainIsOr = false;
  for (const group of a.conditions ?? []) {
    const t = group.find((t) => t.term === "PDX_IN" || t.term === "MAIN_PROC_IN" || t.term === "ANY_PROC_IN" || t.term === "MAIN_PROC_IS_OR");
    if (!t) return null;
    if (t.term === "MAIN_PROC_IS_OR") mainIsOr = true;
    else (t.term === "PDX_IN" ? dx : proc).add(a.lists![t.list]!.ids);
  }
  return { dx: [...dx], proc: [...proc], mainIsOr };
}

/** code id → positions, as offsets into one flat array (compressed sparse rows). */
interface Rows {
  start: Int32Array;
  pos: Int32Array;
}

/** `pairs` holds id, position, id, position, … (flat: a national set has some 60,000, and a tuple each costs load time). */
function rowsOf(size: number, pairs: readonly number[]): Rows {
  const start = new Int32Array(size + 1);
  for (let i = 0; i < pairs.length; i += 2) start[pairs[i]! + 1]!++;
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const pos = new Int32Array(pairs.length >> 1);
  const fill = start.slice(0, size);
  for (let i = 0; i < pairs.length; i += 2) pos[fill[pairs[i]!]!++] = pairs[i + 1]!;
  return { start, pos };
}

export interface AdrgCandidates {
  /** position of the first ADRG of MDC `mi`; `mdcStart[mdcs.length]` is the total */
  readonly mdcStart: Int32Array;
  /** ADRG index at each position */
  readonly adrgAt: Int32Array;
  /** marks the candidates of one episode (dx and proc ids as the grouper resolved them; -1 = none) */
  mark(pdx: number, procs: Int32Array, nProc: number, mainIsOr: boolean): void;
  /** first candidate position in [from, to), or -1 */
  next(from: number, to: number): number;
}

export function adrgCandidates(set: CompiledSet): AdrgCandidates {
  const mdcStart = new Int32Array(set.mdcs.length + 1);
  const adrgAt: number[] = [];
  const byDx: number[] = [];
  const byProc: number[] = [];
  const words = (set.mdcs.reduce((n, m) => n + m.adrgs.length, 0) >> 5) + 1;
  const always = new Uint32Array(words);
  const whenMainIsOr = new Uint32Array(words);
  set.mdcs.forEach((m, mi) => {
    mdcStart[mi] = adrgAt.length;
    for (const ai of m.adrgs) {
      const p = adrgAt.length;
      adrgAt.push(ai);
      const a = set.adrgs[ai]!;
      switch (NEED[a.rule]) {
        case "pdx": for (const id of a.dx) byDx.push(id, p); break;
        case "proc": for (const id of a.ss) byProc.push(id, p); break;
        case "mainIsOr": whenMainIsOr[p >> 5]! |= 1 << (p & 31); break;
        case "conditions": {
          const need = conditionNeeds(a);
          if (!need) {
            always[p >> 5]! |= 1 << (p & 31);
            break;
          }
          for (const ids of need.dx) for (const id of ids) byDx.push(id, p);
          for (const ids of need.proc) for (const id of ids) byProc.push(id, p);
          if (need.mainIsOr) whenMainIsOr[p >> 5]! |= 1 << (p & 31);
          break;
        }
        default: always[p >> 5]! |= 1 << (p & 31);
      }
    }
  });
  mdcStart[set.mdcs.length] = adrgAt.length;
  const dxRows = rowsOf(set.dx.codes.length, byDx);
  const procRows = rowsOf(set.proc.codes.length, byProc);
  const bits = new Uint32Array(words);

  const markRow = (rows: Rows, id: number) => {
    if (id < 0) return;
    for (let j = rows.start[id]!, end = rows.start[id + 1]!; j < end; j++) {
      const p = rows.pos[j]!;
      bits[p >> 5]! |= 1 << (p & 31);
    }
  };

  return {
    mdcStart,
    adrgAt: Int32Array.from(adrgAt),
    mark(pdx, procs, nProc, mainIsOr) {
      bits.set(always);
      if (mainIsOr) for (let w = 0; w < words; w++) bits[w]! |= whenMainIsOr[w]!;
      markRow(dxRows, pdx);
      for (let i = 0; i < nProc; i++) markRow(procRows, procs[i]!);
    },
    next(from, to) {
      while (from < to) {
        const w = from >> 5;
        const rest = bits[w]! >>> (from & 31);
        if (rest !== 0) {
          const p = from + 31 - Math.clz32(rest & -rest);
          return p < to ? p : -1;
        }
        from = (w + 1) << 5;
      }
      return -1;
    },
  };
}
