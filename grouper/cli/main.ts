/**
 * medpay grouper CLI (Node).
 *   group [--definitions <set id | dir | file>] [--input file.jsonl] [--explain [--json]]
 *   definitions import --format chs-1.1|chs-2.0 --from <dir> --out <dir>
 *   definitions compile <source dir> --out <dir> [--name <stem>]
 * Episodes are JSON lines (GROUPER.md fields), results one JSON line each on
 * stdout. A bad line yields `{"line": n, "error": …}` and the run goes on.
 */
import { createReadStream, mkdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { parseArgs } from "node:util";
import { compileDefinitionSet, createGrouper, DefinitionError } from "../index.js";
import { CHS11_FILES, importChs11 } from "../import/chs11.js";
import { CHS20_FILES, CHS20_NAMED_DIRS, importChs20 } from "../import/chs20.js";
import { COMPILED_FILE, compileSourceDir, listFileNames, readChs11Dir, serialiseCompiled, writeCompiled, writeSourceDir } from "../node.js";
import { handleBlock, makeLineHandler, type BlockJob, type GroupedBlock } from "./lines.js";
import { loadDefinitions, UsageError } from "./load.js";

async function writeOut(chunk: string | Uint8Array): Promise<void> {
  if (chunk.length !== 0 && !process.stdout.write(chunk)) await new Promise<void>((res) => process.stdout.once("drain", () => res()));
}

/** Below this input size the workers' start-up (loading the set twice more) costs more than they save. */
const PARALLEL_MIN_BYTES = 16 * 2 ** 20;

/** Whole input lines as UTF-8 bytes, the first numbered `firstLine`. */
interface Block {
  bytes: Uint8Array;
  firstLine: number;
  lines: number;
  /** input bytes read so far, for the progress display */
  readBytes: number;
}

function countLines(bytes: Uint8Array): number {
  let n = 1;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Cuts the input at the last newline of each chunk, so that only a chunk's unfinished tail is ever
 * copied and nothing is decoded here (LF is never part of a multi-byte UTF-8 sequence).
 */
async function* blocksOf(input: AsyncIterable<Buffer | string>): AsyncGenerator<Block> {
  let rest: Buffer | null = null;
  let nextLine = 1;
  let readBytes = 0;
  for await (const chunk of input) {
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    readBytes += data.length;
    const buf: Buffer = rest === null ? data : Buffer.concat([rest, data]);
    const cut = buf.lastIndexOf(10);
    if (cut < 0) {
      rest = buf;
      continue;
    }
    rest = cut + 1 < buf.length ? buf.subarray(cut + 1) : null;
    const bytes = buf.subarray(0, cut);
    const lines = countLines(bytes);
    yield { bytes, firstLine: nextLine, lines, readBytes };
    nextLine += lines;
  }
  if (rest !== null) yield { bytes: rest, firstLine: nextLine, lines: countLines(rest), readBytes };
}

async function runGroup(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      definitions: { type: "string", default: "demo" },
      input: { type: "string" },
      explain: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      threads: { type: "string", default: "auto" },
    },
    allowPositionals: false,
  });
  const definitions = values.definitions!;
  const explain = values.explain === true;
  const totalBytes = values.input ? statSync(values.input).size : 0;
  const threads = explain ? 0 : values.threads === "auto" ? (totalBytes >= PARALLEL_MIN_BYTES ? Math.min(2, os.availableParallelism()) : 0) : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 0) throw new UsageError(`--threads must be auto or a whole number, not "${values.threads}"`);
  const input = values.input ? createReadStream(values.input, { highWaterMark: 1 << 20 }) : process.stdin;
  const progress = process.stderr.isTTY === true ? (lines: number, bytes: number) => {
    const pct = totalBytes > 0 ? ` ${Math.floor((100 * bytes) / totalBytes)}%` : "";
    process.stderr.write(`\r${lines.toLocaleString("en")} lines${pct}`);
  } : null;

  if (threads > 0) await groupInParallel(blocksOf(input), definitions, threads, progress);
  else {
    const handle = makeLineHandler(createGrouper(loadDefinitions(definitions)), explain, values.json === true);
    for await (const b of blocksOf(input)) {
      await writeOut(handleBlock(handle, Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.length).toString("utf8"), b.firstLine).out);
      progress?.(b.firstLine + b.lines - 1, b.readBytes);
    }
  }
  if (progress) process.stderr.write("\n");
  return 0;
}

/**
 * Parsing, grouping and formatting in worker threads; the main thread only reads, hands out blocks and
 * writes the results in order. Blocks travel as bytes in both directions (transferred, not copied
 * again), so the main thread neither decodes nor encodes text.
 */
async function groupInParallel(
  blocks: AsyncGenerator<Block>,
  definitions: string,
  threads: number,
  progress: ((lines: number, bytes: number) => void) | null,
): Promise<void> {
  // Under tsx the worker must register the TypeScript loader itself: on Node 20
  // neither inherited hooks nor `--import tsx` in execArgv reach a worker's entry module.
  const fromTs = import.meta.url.endsWith(".ts");
  const workerUrl = new URL(fromTs ? "./group-worker.ts" : "./group-worker.js", import.meta.url).href;
  const boot = fromTs
    ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); });`
    : `import(${JSON.stringify(workerUrl)});`;
  const workers = Array.from({ length: threads }, () => new Worker(boot, { eval: true, workerData: { definitions } }));
  const done = new Map<number, Uint8Array>();
  let nextToWrite = 0;
  let waiting: (() => void) | null = null;
  let failure: Error | null = null;
  for (const w of workers) {
    w.on("message", (m: GroupedBlock) => {
      done.set(m.seq, m.out);
      waiting?.();
    });
    w.on("error", (e) => {
      failure = e;
      waiting?.();
    });
  }
  const drain = async (maxInFlight: number, sent: number) => {
    while (sent - nextToWrite > maxInFlight || (maxInFlight === 0 && nextToWrite < sent)) {
      if (failure) throw failure;
      const out = done.get(nextToWrite);
      if (out !== undefined) {
        done.delete(nextToWrite);
        nextToWrite++;
        await writeOut(out);
        continue;
      }
      await new Promise<void>((res) => (waiting = res));
      waiting = null;
    }
  };
  let seq = 0;
  try {
    for await (const b of blocks) {
      const bytes = new Uint8Array(b.bytes); // a copy of its own, which the transfer hands over
      const job: BlockJob = { seq, bytes, firstLine: b.firstLine };
      workers[seq % threads]!.postMessage(job, [bytes.buffer]);
      seq++;
      await drain(threads * 4, seq);
      progress?.(b.firstLine + b.lines - 1, b.readBytes);
    }
    await drain(0, seq);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runDefinitions(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === "import") {
    const { values } = parseArgs({ args: rest, options: { format: { type: "string" }, from: { type: "string" }, out: { type: "string" } } });
    if (values.format !== "chs-1.1" && values.format !== "chs-2.0") throw new UsageError(`--format must be chs-1.1 or chs-2.0`);
    if (!values.from || !values.out) throw new UsageError("definitions import needs --from <dir> and --out <dir>");
    const from = values.from;
    const imported = values.format === "chs-1.1"
      ? importChs11(readChs11Dir(from, [...CHS11_FILES.required, ...CHS11_FILES.optional]))
      : importChs20(readChs11Dir(from, CHS20_FILES.required), { upstreamNames: CHS20_NAMED_DIRS.flatMap((d) => listFileNames(from, d)) });
    writeSourceDir(imported.files, values.out);
    const set = compileDefinitionSet(imported.files);
    const file = writeCompiled(set, values.out);
    for (const n of imported.notes) process.stderr.write(`note: ${n}\n`);
    process.stderr.write(`imported ${set.meta.id} ${set.meta.version}: ${set.mdcs.length} MDCs, ${set.adrgs.length} ADRGs, ${set.drgs.length} DRGs → ${file}\n`);
    return 0;
  }
  if (sub === "compile") {
    const { values, positionals } = parseArgs({ args: rest, options: { out: { type: "string" }, name: { type: "string" } }, allowPositionals: true });
    const src = positionals[0];
    if (!src || !values.out) throw new UsageError("definitions compile <source dir> --out <dir> [--name <stem>]");
    const set = compileSourceDir(src);
    mkdirSync(values.out, { recursive: true });
    const file = values.name ? path.join(values.out, `${values.name}.compiled.json`) : path.join(values.out, COMPILED_FILE);
    writeFileSync(file, serialiseCompiled(set));
    process.stderr.write(`compiled ${set.meta.id} ${set.meta.version}: ${set.mdcs.length} MDCs, ${set.adrgs.length} ADRGs, ${set.drgs.length} DRGs → ${file}\n`);
    return 0;
  }
  throw new UsageError("definitions import|compile …");
}

async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === "definitions") return runDefinitions(argv.slice(1));
    return await runGroup(argv[0] === "group" ? argv.slice(1) : argv);
  } catch (e) {
    if (e instanceof DefinitionError || e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
