import type { GroupResult } from "./group.js";

/** Renders a result with its trace for a coder or auditor (CLI `--explain`). */
export function formatExplanation(r: GroupResult): string {
  const lines: string[] = [];
  lines.push(`episode ${r.id ?? "(no id)"} → ${r.drg}${r.drgNameZh ? ` ${r.drgNameZh}` : ""}${r.drgNameEn ? ` (${r.drgNameEn})` : ""}`);
  lines.push(`  set ${r.setId} ${r.setVersion}; status ${r.status}; MDC ${r.mdc}, ADRG ${r.adrg}, DRG ${r.drg}`);
  if (r.flags.length > 0) lines.push(`  flags: ${r.flags.map((f) => `${f.edit}(${f.detail})${f.rejects ? "!" : ""}`).join(", ")}`);
  if (r.principalExclusionTable) lines.push(`  principal's exclusion table: ${r.principalExclusionTable}`);
  if (r.cc.length > 0) lines.push(`  counted: ${r.cc.map((c) => `${c.level} ${c.code} [table ${c.exclusionTable}]`).join(", ")}`);
  if (r.ccExcluded.length > 0) lines.push(`  excluded: ${r.ccExcluded.map((c) => `${c.level} ${c.code} [table ${c.exclusionTable}]`).join(", ")}`);
  if (r.trace) {
    lines.push("  trace:");
    r.trace.forEach((t, i) => {
      lines.push(`  ${String(i + 1).padStart(3)}. ${t.step.padEnd(6)} ${t.decision}  ← ${t.source}`);
    });
  }
  return lines.join("\n");
}
