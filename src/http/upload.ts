import { z } from "@hono/zod-openapi";
import { INGEST_CHUNK_LINES } from "../settlement/versioned-batch";

/** The line-by-line report of a batch upload (src/settlement/versioned-batch.ts defines the categories). */
export const ingestReportSchema = z
  .object({
    submitted: z.number().int().openapi({ description: "non-blank lines read (CSV: records after the header)" }),
    counts: z.object({ accepted: z.number().int(), superseded: z.number().int(), duplicates: z.number().int(), rejected: z.number().int() }),
    accepted: z.array(z.object({ line: z.number().int(), id: z.string(), version: z.number().int() })),
    superseded: z.array(z.object({ line: z.number().int(), id: z.string(), version: z.number().int(), supersedesVersion: z.number().int() })),
    duplicates: z.array(z.object({ line: z.number().int(), id: z.string(), version: z.number().int() })),
    rejected: z.array(z.object({ line: z.number().int(), id: z.string().optional(), errors: z.array(z.object({ field: z.string(), reason: z.string() })) })),
  })
  .openapi("IngestReport");

export const INGEST_SEMANTICS = `Every non-blank line lands in exactly one category, so \`accepted + superseded + duplicates + rejected = submitted\`:
- **accepted**: an id new to the region, stored as version 1;
- **superseded**: a known id with changed content, stored as a new version that supersedes the previous current version (kept, status \`superseded\`, never deleted); the entry names the new \`version\` and \`supersedesVersion\`;
- **duplicates**: content identical to the id's current version (same content hash): nothing is written, so resubmitting a file is a no-op;
- **rejected**: validation or authorisation failed for this line; \`errors\` lists field and reason. Other lines are unaffected.

Lines are written in chunks of ${INGEST_CHUNK_LINES}, each chunk atomically: an upload interrupted half way can be resubmitted whole; lines already stored come back as duplicates, nothing is lost or doubled. Line numbers are physical lines of the upload (CSV: the header is line 1). A line that repeats an id within the same upload is compared with the version written by the earlier line.`;

export const uploadBody = (description: string) => ({
  description,
  required: true,
  content: {
    "application/x-ndjson": { schema: z.string().openapi({ description: "one JSON object per line" }) },
    "text/csv": { schema: z.string().openapi({ description: "UTF-8, with or without BOM, header row with the documented column names" }) },
  },
});
