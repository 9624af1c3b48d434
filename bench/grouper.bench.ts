/**
 * Grouper benchmarks (issue 4 "Speed and size"). JSON lines on stdout:
 * artefact size and load time per set, grouping of pre-parsed episodes in one
 * thread, and end to end through the CLI from a JSONL file. Uses the national
 * 1.1 set imported from ../shared at run time when present, else the demo set;
 * the national 2.0 set (when present) gets its artefact, load and in-thread
 * grouping lines beside the 1.1 ones of the same run (issue 16: ≤ 1 MB gzip,
 * ≤ 50 ms load).
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { compileDefinitionSet, createGrouper, type CompiledSet, type Episode } from "../grouper/index.js";
import { CHS11_FILES, importChs11 } from "../grouper/import/chs11.js";
import { CHS20_FILES, CHS20_NAMED_DIRS, importChs20 } from "../grouper/import/chs20.js";
import { COMPILED_FILE, listFileNames, readChs11Dir, serialiseCompiled, writeSourceDir } from "../grouper/node.js";

const repoRoot = path.resolve(import.meta.dirname, "..");
const sharedDir = path.resolve(repoRoot, "../shared/conformance/chs-drg-1.1");
const shared20Dir = path.resolve(repoRoot, "../shared/conformance/chs-drg-2.0");
const tmp = mkdtempSync(path.join(os.tmpdir(), "medpay-grouper-bench-"));
// The machine is shared: each line carries the load average, and CPU-time rates next to wall-clock ones.
const print = (o: object) => process.stdout.write(JSON.stringify({ ...o, loadAvg1m: +os.loadavg()[0]!.toFixed(2) }) + "\n");
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** Size and load time of a compiled artefact as a Worker would see it: JSON text → parse → lookup structures. */
function measureLoad(name: string, text: string): void {
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    createGrouper(JSON.parse(text) as CompiledSet);
    cpu.push(cpuMs(c));
    runs.push(performance.now() - t);
  }
  const first = runs[0]!;
  runs.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  print({
    bench: `artefact-${name}`, bytes: Buffer.byteLength(text), gzipBytes: gzipSync(text).length,
    loadMsFirst: +first.toFixed(2), loadMsMedian: +runs[3]!.toFixed(2), loadCpuMsMedian: +cpu[3]!.toFixed(2),
  });
}

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic episodes drawn from the set's own lists, so that most of them reach a real ADRG. */
function generate(set: CompiledSet, n: number, seed: number): Episode[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const pdxPool = set.mdcs.flatMap((m) => m.pdx).map((id) => set.dx.codes[id]!);
  const ccPool = set.cc.dx.map((id) => set.dx.codes[id]!);
  const procPool = set.adrgs.flatMap((a) => a.ss).map((id) => set.proc.codes[id]!);
  const orPool = set.orProc.map((id) => set.proc.codes[id]!);
  const out: Episode[] = [];
  for (let i = 0; i < n; i++) {
    const newborn = rnd() < 0.03;
    const nSec = Math.floor(rnd() * 6);
    const nProc = rnd() < 0.45 ? 0 : 1 + Math.floor(rnd() * 3);
    out.push({
      id: `E${i}`,
      sex: rnd() < 0.5 ? "M" : "F",
      ageYears: newborn ? 0 : 1 + Math.floor(rnd() * 90),
      ageDays: newborn ? Math.floor(rnd() * 60) : null,
      birthWeightGrams: newborn ? 800 + Math.floor(rnd() * 3500) : null,
      losDays: 1 + Math.floor(rnd() * 20),
      dischargeStatus: rnd() < 0.95 ? "1" : "5",
      principalDx: pick(pdxPool),
      secondaryDx: Array.from({ length: nSec }, () => (rnd() < 0.5 ? pick(ccPool) : pick(pdxPool))),
      procedures: Array.from({ length: nProc }, () => (rnd() < 0.7 ? pick(procPool) : pick(orPool))),
    });
  }
  return out;
}

function benchPreParsed(name: string, set: CompiledSet): void {
  const g = createGrouper(set);
  const episodes = generate(set, 200_000, 42);
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += g.group(episodes[i]!).drg.length; // warm-up
  // Ten rounds over the same episodes; the median round is the figure (a JIT or GC hiccup shifts a mean).
  const rates: number[] = [];
  const t = performance.now();
  const c = process.cpuUsage();
  for (let r = 0; r < 10; r++) {
    const tr = performance.now();
    for (let i = 0; i < episodes.length; i++) sink += g.group(episodes[i]!).drg.length;
    rates.push(episodes.length / ((performance.now() - tr) / 1000));
  }
  const cpu = cpuMs(c);
  const ms = performance.now() - t;
  const n = rates.length * episodes.length;
  rates.sort((a, b) => a - b);
  const grouped = episodes.filter((e) => g.group(e).status === "grouped").length / episodes.length;
  print({
    bench: `group-preparsed-${name}`, episodes: n, episodesPerSecond: Math.round((rates[4]! + rates[5]!) / 2),
    episodesPerSecondOverall: Math.round(n / (ms / 1000)), episodesPerCpuSecond: Math.round(n / (cpu / 1000)),
    slowestRound: Math.round(rates[0]!), groupedShare: +grouped.toFixed(3), sink: sink > 0,
  });
  const te = performance.now();
  for (let i = 0; i < 50_000; i++) sink += g.group(episodes[i]!, { explain: true }).trace!.length;
  print({ bench: `group-explain-${name}`, episodes: 50_000, episodesPerSecond: Math.round(50_000 / ((performance.now() - te) / 1000)), sink: sink > 0 });
}

/**
 * `npm run --silent group -- --definitions … --input file.jsonl > out.jsonl` without npm's own start-up:
 * process start-up, set loading and writing the results to a file are included.
 */
function benchCli(name: string, set: CompiledSet, definitions: string, threads: string): void {
  const n = 500_000;
  const file = path.join(tmp, `${name}.jsonl`);
  const outFile = path.join(tmp, `${name}.out.jsonl`);
  if (!existsSync(file)) writeFileSync(file, generate(set, n, 7).map((e) => JSON.stringify(e)).join("\n") + "\n");
  const launcher = path.join(repoRoot, "grouper/cli/run.mjs");
  // Built outside the timing (the launcher bundles the CLI once after a source change).
  spawnSync(process.execPath, [launcher, "group", "--definitions", "demo"], { input: "", stdio: ["pipe", "ignore", "inherit"] });
  const args = [launcher, "group", "--definitions", definitions, "--input", file, "--threads", threads];
  // /usr/bin/time (when present) gives the child's CPU time, which a busy shared machine distorts less than wall time.
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  const cmd = timeBin ? [timeBin, "-f", "cpu %U %S", process.execPath] : [process.execPath];
  const out = openSync(outFile, "w");
  const t = performance.now();
  const run = spawnSync(cmd[0]!, [...cmd.slice(1), ...args], { stdio: ["ignore", out, "pipe"] });
  const ms = performance.now() - t;
  closeSync(out);
  const cpuLine = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr.toString("utf8"));
  const cpuS = cpuLine ? Number(cpuLine[1]) + Number(cpuLine[2]) : null;
  const lines = readFileSync(outFile, "utf8").split("\n").filter((l) => l !== "").length;
  if (run.status !== 0 || lines !== n) throw new Error(`CLI run failed: status ${run.status}, ${lines} lines\n${run.stderr.toString("utf8")}`);
  print({ bench: `cli-end-to-end-${name}${threads === "auto" ? "" : `-threads${threads}`}`, episodes: n, episodesPerSecond: Math.round(n / (ms / 1000)), wallMs: Math.round(ms),
    episodesPerCpuSecond: cpuS ? Math.round(n / cpuS) : null, inputBytes: statSync(file).size });
}

try {
  const demoText = readFileSync(path.join(repoRoot, "grouper/sets/demo.compiled.json"), "utf8");
  measureLoad("demo", demoText);
  let set = JSON.parse(demoText) as CompiledSet;
  let name = "demo";
  let definitions = "demo";
  if (existsSync(path.join(sharedDir, "derived/mdc.tsv"))) {
    const imported = importChs11(readChs11Dir(sharedDir, [...CHS11_FILES.required, ...CHS11_FILES.optional]));
    const dir = path.join(tmp, "chs11");
    writeSourceDir(imported.files, dir);
    const text = serialiseCompiled(compileDefinitionSet(imported.files));
    writeFileSync(path.join(dir, COMPILED_FILE), text);
    measureLoad("chs-drg-1.1", text);
    // Grouped as the Worker and the CLI load it: from the artefact's text, not the compiler's objects.
    set = JSON.parse(text) as CompiledSet;
    name = "chs-drg-1.1";
    definitions = dir;
  } else {
    process.stderr.write(`note: ${sharedDir} missing; benchmarking the demo set only\n`);
  }
  benchPreParsed(name, set);
  if (existsSync(path.join(shared20Dir, "derived/adrg_rule.tsv"))) {
    const imported = importChs20(readChs11Dir(shared20Dir, CHS20_FILES.required), { upstreamNames: CHS20_NAMED_DIRS.flatMap((d) => listFileNames(shared20Dir, d)) });
    const text = serialiseCompiled(compileDefinitionSet(imported.files));
    measureLoad("chs-drg-2.0", text);
    benchPreParsed("chs-drg-2.0", JSON.parse(text) as CompiledSet);
  } else {
    process.stderr.write(`note: ${shared20Dir} missing; no CHS-DRG 2.0 lines\n`);
  }
  benchCli(name, set, definitions, "auto"); // the default: two worker threads for inputs of 16 MiB and more
  benchCli(name, set, definitions, "0"); // everything on the main thread
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
