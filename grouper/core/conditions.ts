/**
 * Condition expressions: the rule of a `CONDITIONS` ADRG and an MDC's QY
 * rules, written `[T & T] | [T]` (an OR of AND-groups; brackets optional for
 * a single group). This is the form in which CHS-DRG 2.0 states its entry
 * conditions (入组条件 1 … 或入组条件 2 …), so a multi-part rule is data, not code.
 */
import { TERMS, type CompiledConditions, type CompiledList, type CompiledTerm, type TermKind } from "./types.js";

export interface ParsedTerm {
  term: TermKind;
  arg: string;
}

/** Terms that test a diagnosis list / a procedure list (their arg names the list). */
export const DX_LIST_TERMS: ReadonlySet<TermKind> = new Set<TermKind>(["PDX_IN", "SECONDARY_DX_IN", "ANY_DX_IN"]);
export const PROC_LIST_TERMS: ReadonlySet<TermKind> = new Set<TermKind>(["MAIN_PROC_IN", "ANY_PROC_IN"]);

/** Parses `[A(x) & B] | [C]`; returns the reason as a string when the text is not an expression. */
export function parseConditions(text: string): ParsedTerm[][] | string {
  if (text.trim() === "") return "empty condition expression";
  const groups: ParsedTerm[][] = [];
  for (const rawGroup of text.split("|")) {
    let g = rawGroup.trim();
    if (g.startsWith("[") && g.endsWith("]")) g = g.slice(1, -1);
    const terms: ParsedTerm[] = [];
    for (const rawTerm of g.split("&")) {
      const m = /^([A-Z][A-Z0-9_]*)(?:\(([^()\s]*)\))?$/.exec(rawTerm.trim());
      if (!m) return `"${rawTerm.trim()}" is not a term like NAME or NAME(arg)`;
      const term = m[1]!;
      const arg = m[2] ?? "";
      if (!(TERMS as readonly string[]).includes(term)) return `unknown term ${term} (one of ${TERMS.join(", ")})`;
      const t = term as TermKind;
      const needsArg = DX_LIST_TERMS.has(t) || PROC_LIST_TERMS.has(t) || t === "BIRTH_WEIGHT";
      if (needsArg && arg === "") return `${t} needs an argument in parentheses`;
      if (!needsArg && arg !== "") return `${t} takes no argument`;
      if (t === "BIRTH_WEIGHT" && !parseBand(arg)) return `BIRTH_WEIGHT band must be lo-hi grams, got "${arg}"`;
      terms.push({ term: t, arg });
    }
    groups.push(terms);
  }
  return groups;
}

/** A weight band `lo-hi` (whole grams, inclusive; `lo-` open) as [lo, hi exclusive). */
export function parseBand(arg: string): { lo: number; hi: number } | null {
  const m = /^(\d+)-(\d*)$/.exec(arg);
  if (!m) return null;
  return { lo: Number(m[1]), hi: m[2] === "" ? Number.POSITIVE_INFINITY : Number(m[2]) + 1 };
}

/**
 * Resolves list names: `find(arg, of)` returns [adrg index, list index] or a
 * reason. Infinity does not survive JSON, so an open band is stored as -1.
 */
export function resolveConditions(
  parsed: ParsedTerm[][],
  find: (arg: string, of: "dx" | "proc") => [number, number] | string,
): CompiledConditions | string {
  const out: CompiledConditions = [];
  for (const g of parsed) {
    const terms: CompiledTerm[] = [];
    for (const { term, arg } of g) {
      let adrg = -1;
      let list = -1;
      let lo = 0;
      let hi = 0;
      if (DX_LIST_TERMS.has(term) || PROC_LIST_TERMS.has(term)) {
        const r = find(arg, DX_LIST_TERMS.has(term) ? "dx" : "proc");
        if (typeof r === "string") return `${term}(${arg}): ${r}`;
        [adrg, list] = r;
      } else if (term === "BIRTH_WEIGHT") {
        const b = parseBand(arg)!;
        lo = b.lo;
        hi = Number.isFinite(b.hi) ? b.hi : -1;
      }
      terms.push({ term, adrg, list, lo, hi });
    }
    out.push(terms);
  }
  return out;
}

/** Renders a compiled condition group back as text, for traces. */
export function conditionText(group: readonly CompiledTerm[], listsOf: (adrg: number) => readonly CompiledList[] | undefined, qualify: boolean, adrgCode: (i: number) => string): string {
  return group
    .map((t) => {
      if (t.list >= 0) {
        const name = listsOf(t.adrg)?.[t.list]?.name ?? "?";
        return `${t.term}(${qualify ? `${adrgCode(t.adrg)}.` : ""}${name})`;
      }
      if (t.term === "BIRTH_WEIGHT") return `${t.term}(${t.lo}-${t.hi < 0 ? "" : t.hi - 1})`;
      return t.term;
    })
    .join(" & ");
}
