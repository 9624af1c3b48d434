/**
 * medpay grouper CLI (Node).
 *   group [--definitions <set id | dir | file>] [--input file.jsonl] [--explain [--json]]
 *   definitions import --format chs-1.1 --from <dir> --out <dir>
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
import { COMPILED_FILE, compileSourceDir, readChs11Dir, serialiseCompiled, writeCompiled, writeSourceDir } from "../node.js";
import { handleBlock, makeLineHandler } from "./lines.js";
import { loadDefinitions, UsageError } from "./load.js";

async function writeOut(chunk: string): Promise<void> {
  if (chunk !== "" && !process.stdout.write(chunk)) await new Promise<void>((res) => process.stdout.once("drain", () => res()));
}

/** Below this input size a worker's start-up (about half a second) costs more than it saves. */
const PARALLEL_MIN_BYTES = 16 * 2 ** 20;

async function runGroup(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      definitions: { type: "string", default: "demo" },
      input: { type: "string" },
      explain: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      threads: { type: "string" },
    },
    allowPositionals: false,
  });
  const definitions = values.definitions!;
  const explain = values.explain === true;
  const totalBytes = values.input ? statSync(values.input).size : 0;
  // Worker threads are opt-in: on the 2-core target they gain little (≈10%) once their own start-up is paid.
  const threads = values.threads === "auto" ? (totalBytes >= PARALLEL_MIN_BYTES ? Math.min(2, os.availableParallelism()) : 0) : Number(values.threads ?? 0);
  const grouper = threads > 0 && !explain ? null : createGrouper(loadDefinitions(definitions));
  const input = values.input ? createReadStream(values.input, { highWaterMark: 1 << 20 }) : process.stdin;
  const progress = process.stderr.isTTY === true ? (lines: number, bytes: number) => {
    const pct = totalBytes > 0 ? ` ${Math.floor((100 * bytes) / totalBytes)}%` : "";
    process.stderr.write(`\r${lines.toLocaleString("en")} lines${pct}`);
  } : null;

  // Blocks of whole lines, numbered from 1.
  const blocks = async function* (): AsyncGenerator<{ block: string; firstLine: number; bytes: number }> {
    let rest = "";
    let nextLine = 1;
    let bytes = 0;
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      const s = rest + (typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      const cut = s.lastIndexOf("\n");
      if (cut < 0) {
        rest = s;
        continue;
      }
      const block = s.slice(0, cut);
      rest = s.slice(cut + 1);
      yield { block, firstLine: nextLine, bytes };
      let n = 1;
      for (let i = block.indexOf("\n"); i >= 0; i = block.indexOf("\n", i + 1)) n++;
      nextLine += n;
    }
    if (rest !== "") yield { block: rest, firstLine: nextLine, bytes };
  };

  if (grouper) {
    const handle = makeLineHandler(grouper, explain, values.json === true);
    let lines = 0;
    for await (const b of blocks()) {
      const r = handleBlock(handle, b.block, b.firstLine);
      lines = b.firstLine + r.lines - 1;
      await writeOut(r.out);
      progress?.(lines, b.bytes);
    }
    if (progress) process.stderr.write("\n");
    return 0;
  }
  await groupInParallel(blocks(), definitions, threads, progress);
  return 0;
}

/** Parsing and grouping in worker threads; the main thread only reads, hands out blocks and writes results in order. */
async function groupInParallel(
  blocks: AsyncGenerator<{ block: string; firstLine: number; bytes: number }>,
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
  const done = new Map<number, string>();
  let nextToWrite = 0;
  let waiting: (() => void) | null = null;
  let failure: Error | null = null;
  for (const w of workers) {
    w.on("message", (m: { seq: number; out: string }) => {
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
      workers[seq % threads]!.postMessage({ seq, block: b.block, firstLine: b.firstLine });
      seq++;
      await drain(threads * 4, seq);
      progress?.(b.firstLine, b.bytes);
    }
    await drain(0, seq);
    if (progress) process.stderr.write("\n");
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function runDefinitions(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === "import") {
    const { values } = parseArgs({ args: rest, options: { format: { type: "string" }, from: { type: "string" }, out: { type: "string" } } });
    if (values.format !== "chs-1.1") throw new UsageError(`--format must be chs-1.1`);
    if (!values.from || !values.out) throw new UsageError("definitions import needs --from <dir> and --out <dir>");
    const imported = importChs11(readChs11Dir(values.from, [...CHS11_FILES.required, ...CHS11_FILES.optional]));
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
