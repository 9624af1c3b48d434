/**
 * CSV (RFC 4180) reading and writing for batch uploads and Excel exports.
 * Reading works record by record over physical lines so that a 32 MiB upload
 * is never split into one giant array; a quoted cell may span lines.
 */

/** Splits one complete CSV record into cells; `null` when its quotes are unbalanced (the record continues on the next line). */
export function splitCsvRecord(text: string): string[] | null {
  const cells: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  let atStart = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += ch;
    } else if (ch === '"' && atStart) {
      quoted = true;
      atStart = false;
    } else if (ch === ",") {
      cells.push(cell);
      cell = "";
      atStart = true;
      i++;
      continue;
    } else {
      cell += ch;
      atStart = false;
    }
    i++;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

/** Cells starting with = + - @ (or tab/CR) run as formulas in Excel: prefix a quote (OWASP CSV injection). */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? String(value) : neutraliseCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV document for Excel: UTF-8 BOM, CRLF line ends. Number cells are written as they are (no neutralising). */
export function toExcelCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const lines = [header.map(csvCell).join(","), ...rows.map((r) => r.map(csvCell).join(","))];
  return `\ufeff${lines.join("\r\n")}\r\n`;
}
