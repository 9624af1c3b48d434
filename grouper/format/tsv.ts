import type { DefinitionIssue } from "./errors.js";

export interface TsvRow {
  line: number;
  cells: Record<string, string>;
}

/**
 * Reads one table of the source format: UTF-8, tab-separated, a header row
 * naming the columns, `#` comment lines and blank lines ignored. The header
 * must hold exactly the expected columns (in any order) so that a renamed or
 * shifted column fails loudly instead of silently reading the wrong field.
 */
export function parseTsv(
  file: string,
  text: string,
  columns: readonly string[],
  optional: readonly string[],
  issues: DefinitionIssue[],
): TsvRow[] {
  const lines = text.split("\n");
  const rows: TsvRow[] = [];
  let header: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").replace(/\r$/, "");
    if (raw.trim() === "" || raw.startsWith("#")) continue;
    const cells = raw.split("\t");
    if (header === null) {
      header = cells.map((c) => c.trim());
      const missing = columns.filter((c) => !header!.includes(c));
      const extra = header.filter((c) => !columns.includes(c) && !optional.includes(c));
      if (missing.length > 0) issues.push({ file, line: i + 1, reason: `header lacks column(s) ${missing.join(", ")}` });
      if (extra.length > 0) issues.push({ file, line: i + 1, reason: `unknown column(s) ${extra.join(", ")}` });
      if (missing.length > 0) return [];
      continue;
    }
    if (cells.length > header.length) {
      issues.push({ file, line: i + 1, reason: `${cells.length} cells, header has ${header.length}` });
      continue;
    }
    const record: Record<string, string> = {};
    header.forEach((h, j) => {
      record[h] = (cells[j] ?? "").trim();
    });
    rows.push({ line: i + 1, cells: record });
  }
  if (header === null) issues.push({ file, line: 0, reason: "empty file: no header row" });
  return rows;
}
