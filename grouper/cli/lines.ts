/** Turns one JSONL input line into one output line; shared by the CLI's main thread and its workers. */
import { episodeSchema, formatExplanation, isEpisodeFields, type EpisodeFields, type Grouper, type GroupResult } from "../index.js";

/** CC evidence objects are shared per code by the grouper, so their JSON can be cached. */
const evidenceJson = new WeakMap<object, string>();
function evidenceList(xs: readonly object[]): string {
  if (xs.length === 0) return "[]";
  let s = "[";
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    let j = evidenceJson.get(x);
    if (j === undefined) evidenceJson.set(x, (j = JSON.stringify(x)));
    s += i === 0 ? j : "," + j;
  }
  return s + "]";
}
const list = (xs: readonly unknown[]) => (xs.length === 0 ? "[]" : JSON.stringify(xs));

export type LineHandler = (text: string, lineNo: number) => string | null;

export function makeLineHandler(grouper: Grouper, explain: boolean, explainJson: boolean): LineHandler {
  const setPart = `,"setId":${JSON.stringify(grouper.set.meta.id)},"setVersion":${JSON.stringify(grouper.set.meta.version)}}`;
  const noEvidence = `,"flags":[],"cc":[],"ccExcluded":[]${setPart}`;
  /**
   * Hand-assembled (same as JSON.stringify of these fields): this line is a large share of the CLI's cost per episode.
   * The status-to-DRG part depends only on the result's DRG, so its text is made once per DRG.
   */
  const groupParts = new Map<string, { status: string; mdc: string; adrg: string; text: string }>();
  const groupPart = (r: GroupResult) => {
    let p = groupParts.get(r.drg);
    if (p === undefined || p.status !== r.status || p.mdc !== r.mdc || p.adrg !== r.adrg) {
      p = { status: r.status, mdc: r.mdc, adrg: r.adrg, text: `,"status":"${r.status}","mdc":${JSON.stringify(r.mdc)},"adrg":${JSON.stringify(r.adrg)},"drg":${JSON.stringify(r.drg)}` };
      groupParts.set(r.drg, p);
    }
    return p.text;
  };
  const resultLine = (r: GroupResult, line: number) =>
    `{"id":${r.id == null ? "null" : JSON.stringify(r.id)},"line":${line}${groupPart(r)}${
      r.flags.length === 0 && r.cc.length === 0 && r.ccExcluded.length === 0
        ? noEvidence
        : `,"flags":${list(r.flags)},"cc":${evidenceList(r.cc)},"ccExcluded":${evidenceList(r.ccExcluded)}${setPart}`
    }`;

  return (text, lineNo) => {
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === "")) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return JSON.stringify({ line: lineNo, error: `invalid JSON: ${(e as Error).message}` });
    }
    let ep: EpisodeFields;
    if (isEpisodeFields(raw)) ep = raw;
    else {
      const parsed = episodeSchema.safeParse(raw);
      if (!parsed.success) {
        const id = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? ((raw as Record<string, unknown>).id ?? null) : null;
        const why = parsed.error.issues.map((i) => `${i.path.join(".") || "(episode)"}: ${i.message}`).join("; ");
        return JSON.stringify({ id, line: lineNo, error: why });
      }
      ep = parsed.data;
    }
    if (!explain) return resultLine(grouper.group(ep), lineNo);
    const r = grouper.group(ep, { explain: true });
    return explainJson ? JSON.stringify({ ...r, line: lineNo }) : formatExplanation(r) + "\n";
  };
}

/** Applies the handler to every complete line of a block; returns the output text and the number of lines seen. */
export function handleBlock(handle: LineHandler, block: string, firstLine: number): { out: string; lines: number } {
  const lines = block.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const o = handle(lines[i]!, firstLine + i);
    if (o !== null) out.push(o);
  }
  return { out: out.length === 0 ? "" : out.join("\n") + "\n", lines: lines.length };
}

/** A block of input lines sent to a worker thread, and what comes back (see main.ts `groupInParallel`). */
export interface BlockJob {
  seq: number;
  bytes: Uint8Array<ArrayBuffer>;
  firstLine: number;
}
export interface GroupedBlock {
  seq: number;
  out: Uint8Array<ArrayBuffer>;
}
