/**
 * Node-only helpers (CLI, benchmarks, tests): read a source set or a compiled
 * set from a directory. Not imported by the Worker.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compileDefinitionSet, SOURCE_FILES } from "./core/compile.js";
import type { CompiledSet } from "./core/types.js";

export const COMPILED_FILE = "set.compiled.json";

export function readSourceDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of [...SOURCE_FILES.required, ...SOURCE_FILES.optional]) {
    const p = path.join(dir, f);
    if (existsSync(p)) files[f] = readFileSync(p, "utf8");
  }
  return files;
}

export function compileSourceDir(dir: string): CompiledSet {
  return compileDefinitionSet(readSourceDir(dir));
}

/** The artefact as written to disk: one JSON document, a line per top-level key for readable diffs of metadata. */
export function serialiseCompiled(set: CompiledSet): string {
  const keys = Object.keys(set) as (keyof CompiledSet)[];
  return "{\n" + keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(set[k])}`).join(",\n") + "\n}\n";
}

export function writeCompiled(set: CompiledSet, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const p = path.join(outDir, COMPILED_FILE);
  writeFileSync(p, serialiseCompiled(set));
  return p;
}

/** Reads a compiled set from a file or a directory holding `set.compiled.json`. */
export function readCompiled(p: string): CompiledSet {
  const file = statSync(p).isDirectory() ? path.join(p, COMPILED_FILE) : p;
  return JSON.parse(readFileSync(file, "utf8")) as CompiledSet;
}

export function isSourceDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory() && readdirSync(p).includes("set.json");
}

/** Names of the files in `sub` of `dir`, as paths relative to `dir` (none when the folder is absent). */
export function listFileNames(dir: string, sub: string): string[] {
  const p = path.join(dir, sub);
  return existsSync(p) ? readdirSync(p).map((n) => `${sub}/${n}`) : [];
}

/** Reads the files an importer needs (CHS-DRG 1.1 or 2.0) from a folder laid out as in its conformance README. */
export function readChs11Dir(dir: string, files: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files) {
    const p = path.join(dir, f);
    if (existsSync(p)) out[f] = readFileSync(p, "utf8");
  }
  return out;
}

export function writeSourceDir(files: Record<string, string>, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(outDir, f), text);
}
