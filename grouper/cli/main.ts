/**
 * medpay grouper CLI (Node).
 *   group [--definitions <set id | dir | file>] [--input file.jsonl] [--explain [--json]]
 *   definitions import --format chs-1.1 --from <dir> --out <dir>
 *   definitions compile <source dir> --out <dir> [--name <stem>]
 * Episodes are JSON lines (GROUPER.md fields), results one JSON line each on
 * stdout. A bad line yields `{"line": n, "error": …}` and the run goes on.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  bundledSets,
  compileDefinitionSet,
  createGrouper,
  DefinitionError,
  episodeSchema,
  formatExplanation,
  readEpisodeFast,
  type CompiledSet,
  type GroupResult,
} from "../index.js";
import { CHS11_FILES, importChs11 } from "../import/chs11.js";
import { COMPILED_FILE, compileSourceDir, isSourceDir, readChs11Dir, readCompiled, serialiseCompiled, writeCompiled, writeSourceDir } from "../node.js";
import { mkdirSync, writeFileSync } from "node:fs";

class UsageError extends Error {}

/** A set id from `bundledSets`, a compiled file, a directory with `set.compiled.json`, or a source directory. */
export function loadDefinitions(ref: string): CompiledSet {
  const bundled = bundledSets[ref];
  if (bundled) return bundled.compiled;
  if (!existsSync(ref)) throw new UsageError(`unknown definition set "${ref}" (bundled: ${Object.keys(bundledSets).join(", ")}; or give a path)`);
  if (statSync(ref).isDirectory() && existsSync(path.join(ref, COMPILED_FILE))) return readCompiled(ref);
  if (isSourceDir(ref)) return compileSourceDir(ref);
  return readCompiled(ref);
}

function resultLine(r: GroupResult, line: number): string {
  return JSON.stringify({
    id: r.id, line, status: r.status, mdc: r.mdc, adrg: r.adrg, drg: r.drg, flags: r.flags, cc: r.cc, ccExcluded: r.ccExcluded, setId: r.setId, setVersion: r.setVersion,
  });
}

async function runGroup(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { definitions: { type: "string", default: "demo" }, input: { type: "string" }, explain: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
    allowPositionals: false,
  });
  const grouper = createGrouper(loadDefinitions(values.definitions!));
  const explain = values.explain === true;
  const input = values.input ? createReadStream(values.input) : process.stdin;
  const totalBytes = values.input ? statSync(values.input).size : 0;
  const showProgress = process.stderr.isTTY === true;

  let out: string[] = [];
  let outLen = 0;
  const flush = async () => {
    if (out.length === 0) return;
    const chunk = out.join("");
    out = [];
    outLen = 0;
    if (!process.stdout.write(chunk)) await new Promise<void>((res) => process.stdout.once("drain", () => res()));
  };
  const emit = (s: string) => {
    out.push(s, "\n");
    outLen += s.length + 1;
  };

  let lineNo = 0;
  let bytes = 0;
  let errors = 0;
  const handle = (text: string) => {
    lineNo++;
    if (text.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      errors++;
      emit(JSON.stringify({ line: lineNo, error: `invalid JSON: ${(e as Error).message}` }));
      return;
    }
    let ep = readEpisodeFast(raw);
    if (ep === null) {
      const parsed = episodeSchema.safeParse(raw);
      if (!parsed.success) {
        errors++;
        const id = typeof raw === "object" && raw !== null ? ((raw as Record<string, unknown>).id ?? null) : null;
        const why = parsed.error.issues.map((i) => `${i.path.join(".") || "(episode)"}: ${i.message}`).join("; ");
        emit(JSON.stringify({ id, line: lineNo, error: why }));
        return;
      }
      ep = parsed.data;
    }
    const r = grouper.group(ep, explain ? { explain: true } : undefined);
    if (explain && !values.json) emit(formatExplanation(r) + "\n");
    else if (explain) emit(JSON.stringify({ ...r, line: lineNo }));
    else emit(resultLine(r, lineNo));
  };

  let rest = "";
  let lastProgress = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const s = typeof chunk === "string" ? chunk : chunk.toString("utf8");
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    let start = 0;
    let nl = s.indexOf("\n");
    if (nl >= 0) {
      handle(rest + s.slice(0, nl));
      rest = "";
      start = nl + 1;
      while ((nl = s.indexOf("\n", start)) >= 0) {
        handle(s.slice(start, nl));
        start = nl + 1;
      }
    }
    rest += s.slice(start);
    if (outLen > 1 << 16) await flush();
    if (showProgress && lineNo - lastProgress >= 20000) {
      lastProgress = lineNo;
      const pct = totalBytes > 0 ? ` ${Math.floor((100 * bytes) / totalBytes)}%` : "";
      process.stderr.write(`\r${lineNo.toLocaleString("en")} episodes${pct}`);
    }
  }
  if (rest !== "") handle(rest);
  await flush();
  if (showProgress) process.stderr.write(`\r${lineNo.toLocaleString("en")} lines, ${errors} error(s)\n`);
  return 0;
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
