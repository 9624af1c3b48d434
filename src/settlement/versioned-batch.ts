/**
 * Line-by-line ingestion of versioned records (claims, enrolments), shared
 * semantics:
 *
 * Every submitted (non-blank) line lands in exactly one category, so
 * accepted + superseded + duplicates + rejected = submitted:
 * - `accepted`: a record id new to the region, stored as version 1;
 * - `superseded`: a known id with changed content, stored as a new version
 *   that supersedes the previous current version (which is kept, status
 *   `superseded`, never deleted); the entry names both versions;
 * - `duplicates`: content identical to the id's current version (same content
 *   hash): nothing is written, so resubmitting a file is a no-op;
 * - `rejected`: the line failed validation or authorisation; reasons per field.
 *
 * Lines are processed in chunks, each written with one atomic db.batch, so an
 * upload interrupted half way has stored whole chunks only; resubmitting the
 * file reports those lines as duplicates and stores the rest (idempotency by
 * region, id and content hash). The unique index on (region, id, version)
 * makes a concurrent writer's chunk fail as a whole; it is then re-read and
 * retried.
 */
import type { FieldProblem } from "../payment/errors";
import { contentHash } from "../util/content-hash";
import type { BatchRecord } from "./batch-lines";

export interface StoredVersion {
  version: number;
  contentHash: string;
  /** The hospital (claim) or contractor (enrolment) the record belongs to. */
  ownerId: string;
}

export interface LineEntry {
  line: number;
  id: string;
  version: number;
}

export interface IngestReport {
  submitted: number;
  counts: { accepted: number; superseded: number; duplicates: number; rejected: number };
  accepted: LineEntry[];
  superseded: (LineEntry & { supersedesVersion: number })[];
  duplicates: LineEntry[];
  rejected: { line: number; id?: string; errors: FieldProblem[] }[];
}

export interface NewVersion<T> {
  record: T;
  id: string;
  version: number;
  contentHash: string;
  /** Already superseded by a later line of the same chunk. */
  superseded: boolean;
}

export interface VersionedKind<T> {
  /** Name of the id field in a line, for reporting rejected lines. */
  idField: string;
  /** Validates a line's value (schema and tenancy); errors name fields. */
  parse(value: Record<string, unknown>): { ok: true; record: T } | { ok: false; errors: FieldProblem[] };
  idOf(record: T): string;
  ownerOf(record: T): string;
  /** The content that decides "same record" (hashed canonically). */
  contentOf(record: T): unknown;
  loadCurrent(ids: string[]): Promise<Map<string, StoredVersion>>;
  /** Writes one chunk atomically: mark `supersede` ids' current versions superseded, then insert `rows`. */
  writeChunk(rows: NewVersion<T>[], supersede: string[]): Promise<void>;
}

/** Lines per atomic write: fewer, larger D1 batches cost less per line; a chunk stays far below D1's limits (literal-insert.ts). */
export const INGEST_CHUNK_LINES = 5_000;
const MAX_ATTEMPTS = 3;

export function emptyReport(): IngestReport {
  return { submitted: 0, counts: { accepted: 0, superseded: 0, duplicates: 0, rejected: 0 }, accepted: [], superseded: [], duplicates: [], rejected: [] };
}

/** Ingests records arriving in blocks of any size (readBatchRecords), in chunks of `chunkLines`. */
export async function ingestVersioned<T>(blocks: AsyncIterable<readonly BatchRecord[]>, kind: VersionedKind<T>, chunkLines = INGEST_CHUNK_LINES): Promise<IngestReport> {
  const report = emptyReport();
  let chunk: BatchRecord[] = [];
  for await (const block of blocks) {
    for (const r of block) {
      report.submitted++;
      chunk.push(r);
      if (chunk.length >= chunkLines) {
        await ingestChunk(chunk, kind, report);
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) await ingestChunk(chunk, kind, report);
  report.counts = {
    accepted: report.accepted.length,
    superseded: report.superseded.length,
    duplicates: report.duplicates.length,
    rejected: report.rejected.length,
  };
  return report;
}

interface Parsed<T> {
  line: number;
  record: T;
  id: string;
  hash: string;
}

async function ingestChunk<T>(chunk: BatchRecord[], kind: VersionedKind<T>, report: IngestReport) {
  const valid: Parsed<T>[] = [];
  for (const r of chunk) {
    if (r.errors) {
      report.rejected.push({ line: r.line, errors: r.errors });
      continue;
    }
    const parsed = kind.parse(r.value!);
    const rawId = r.value![kind.idField];
    if (!parsed.ok) {
      report.rejected.push({ line: r.line, ...(typeof rawId === "string" ? { id: rawId.slice(0, 64) } : {}), errors: parsed.errors });
      continue;
    }
    valid.push({ line: r.line, record: parsed.record, id: kind.idOf(parsed.record), hash: contentHash(kind.contentOf(parsed.record)) });
  }
  if (valid.length === 0) return;

  for (let attempt = 1; ; attempt++) {
    const outcome = await planChunk(valid, kind);
    try {
      await kind.writeChunk(outcome.rows, outcome.supersede);
    } catch (err) {
      if (attempt < MAX_ATTEMPTS && /UNIQUE constraint failed/i.test(String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? ""))) continue;
      throw err;
    }
    report.accepted.push(...outcome.accepted);
    report.superseded.push(...outcome.superseded);
    report.duplicates.push(...outcome.duplicates);
    report.rejected.push(...outcome.rejected);
    report.rejected.sort((a, b) => a.line - b.line);
    return;
  }
}

/** Decides every valid line of a chunk against the stored current versions, in line order. */
async function planChunk<T>(valid: Parsed<T>[], kind: VersionedKind<T>) {
  const stored = await kind.loadCurrent([...new Set(valid.map((v) => v.id))]);
  const current = new Map<string, StoredVersion & { pending?: NewVersion<T> }>(stored);
  const rows: NewVersion<T>[] = [];
  const supersede = new Set<string>();
  const accepted: LineEntry[] = [];
  const superseded: IngestReport["superseded"] = [];
  const duplicates: LineEntry[] = [];
  const rejected: IngestReport["rejected"] = [];
  for (const v of valid) {
    const now = current.get(v.id);
    const owner = kind.ownerOf(v.record);
    if (now && now.ownerId !== owner) {
      rejected.push({ line: v.line, id: v.id, errors: [{ field: "(id)", reason: `id ${v.id} is already used by a record of another hospital; ids are unique per region` }] });
      continue;
    }
    if (now && now.contentHash === v.hash) {
      duplicates.push({ line: v.line, id: v.id, version: now.version });
      continue;
    }
    const row: NewVersion<T> = { record: v.record, id: v.id, version: (now?.version ?? 0) + 1, contentHash: v.hash, superseded: false };
    if (now?.pending) now.pending.superseded = true;
    else if (now) supersede.add(v.id);
    rows.push(row);
    current.set(v.id, { version: row.version, contentHash: v.hash, ownerId: owner, pending: row });
    if (now) superseded.push({ line: v.line, id: v.id, version: row.version, supersedesVersion: now.version });
    else accepted.push({ line: v.line, id: v.id, version: row.version });
  }
  return { rows, supersede: [...supersede], accepted, superseded, duplicates, rejected };
}
