/**
 * Turns an upload body (NDJSON or CSV, UTF-8 with or without BOM) into
 * numbered records, streaming, so that any size up to the body limit is read
 * in bounded memory. Blank lines are skipped and are not "submitted" lines.
 * A line that cannot be read at all (bad JSON, unbalanced CSV quotes, wrong
 * cell count) still comes out, with its reasons, so it is reported rejected.
 */
import { DomainError, type FieldProblem } from "../payment/errors";
import { splitCsvRecord } from "./csv";

export type UploadFormat = "ndjson" | "csv";

export interface BatchRecord {
  /** Physical line number in the upload where the record starts (CSV: the header is line 1). */
  line: number;
  value?: Record<string, unknown>;
  errors?: FieldProblem[];
}

export function uploadFormatOf(contentType: string | undefined): UploadFormat {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-ndjson" || type === "application/ndjson" || type === "application/jsonl") return "ndjson";
  if (type === "text/csv") return "csv";
  throw new DomainError("unsupported-media-type", `Send application/x-ndjson (one JSON object per line) or text/csv with the documented header; got "${type || "none"}".`);
}

/**
 * The body's lines, a block per chunk read: handing on lines one by one through
 * async generators cost more than validating them.
 */
async function* physicalLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string[]> {
  // TextDecoder drops a leading BOM (ignoreBOM false), so BOM and no BOM read the same.
  const decoder = new TextDecoder("utf-8");
  let rest = "";
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    const text = rest + decoder.decode(bytes, { stream: true });
    const lines: string[] = [];
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      lines.push(withoutCr(text.slice(from, nl)));
      from = nl + 1;
    }
    rest = text.slice(from);
    if (lines.length > 0) yield lines;
  }
  rest += decoder.decode();
  if (rest.length > 0) yield [withoutCr(rest)];
}

const withoutCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);

export interface CsvShape {
  /** Known column names; any other header cell refuses the whole upload. */
  columns: readonly string[];
  required: readonly string[];
  integer: readonly string[];
  list: readonly string[];
  boolean: readonly string[];
}

/**
 * Numbered records of an upload, in blocks (one per chunk of the body); for CSV
 * the header is checked first (a bad header is a 400 for the whole upload).
 */
export async function* readBatchRecords(body: ReadableStream<Uint8Array> | null, format: UploadFormat, csv: CsvShape): AsyncGenerator<BatchRecord[]> {
  if (!body) return;
  let lineNo = 0;
  if (format === "ndjson") {
    for await (const lines of physicalLines(body)) {
      const records: BatchRecord[] = [];
      for (const text of lines) {
        lineNo++;
        if (text.trim() === "") continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          records.push({ line: lineNo, errors: [{ field: "(line)", reason: "not valid JSON" }] });
          continue;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) records.push({ line: lineNo, errors: [{ field: "(line)", reason: "expected a JSON object" }] });
        else records.push({ line: lineNo, value: value as Record<string, unknown> });
      }
      yield records;
    }
    return;
  }

  let header: string[] | null = null;
  let pending = "";
  let startLine = 0;
  for await (const lines of physicalLines(body)) {
    const records: BatchRecord[] = [];
    for (const text of lines) {
      lineNo++;
      if (pending === "") {
        if (text.trim() === "") continue;
        startLine = lineNo;
        pending = text;
      } else pending += `\n${text}`;
      const cells = splitCsvRecord(pending);
      if (cells === null) continue; // a quoted cell goes on
      pending = "";
      if (header === null) {
        header = cells.map((c) => c.trim());
        checkHeader(header, csv);
        continue;
      }
      records.push(csvRecord(startLine, header, cells, csv));
    }
    yield records;
  }
  if (pending !== "") yield [{ line: startLine, errors: [{ field: "(line)", reason: "unbalanced quotes: the record never ends" }] }];
  if (header === null && lineNo > 0) throw new DomainError("invalid-request", "The CSV has no header row; no line was read.", [{ field: "(header)", message: "the CSV has no header row" }]);
}

function checkHeader(header: string[], csv: CsvShape) {
  const errors: FieldProblem[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (!csv.columns.includes(name)) errors.push({ field: `(header)[${i}]`, reason: `unknown column "${name.slice(0, 40)}"; columns are ${csv.columns.join(",")}` });
    if (seen.has(name)) errors.push({ field: `(header)[${i}]`, reason: `column "${name.slice(0, 40)}" appears twice` });
    seen.add(name);
  });
  for (const name of csv.required) if (!seen.has(name)) errors.push({ field: "(header)", reason: `required column "${name}" is missing` });
  if (errors.length > 0) throw new DomainError("invalid-request", "The CSV header is not the documented one; no line was read.", errors.map((e) => ({ field: e.field, message: e.reason })));
}

function csvRecord(line: number, header: string[], cells: string[], csv: CsvShape): BatchRecord {
  if (cells.length !== header.length) {
    return { line, errors: [{ field: "(line)", reason: `${cells.length} cells, the header has ${header.length}` }] };
  }
  const value: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = cells[i]!.trim();
    if (cell === "") return; // empty = absent
    if (csv.integer.includes(name)) value[name] = /^-?\d+$/.test(cell) ? Number(cell) : cell;
    else if (csv.list.includes(name)) value[name] = cell.split("|").map((s) => s.trim()).filter((s) => s !== "");
    else if (csv.boolean.includes(name)) value[name] = /^(true|1|yes|y)$/i.test(cell) ? true : /^(false|0|no|n)$/i.test(cell) ? false : cell;
    else value[name] = cell;
  });
  return { line, value };
}
