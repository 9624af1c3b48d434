import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { bundledSets, type CompiledSet } from "../index.js";
import { COMPILED_FILE, compileSourceDir, isSourceDir, readCompiled } from "../node.js";

export class UsageError extends Error {}

/** A set id from `bundledSets`, a compiled file, a directory with `set.compiled.json`, or a source directory. */
export function loadDefinitions(ref: string): CompiledSet {
  const bundled = bundledSets[ref];
  if (bundled) return bundled.compiled;
  if (!existsSync(ref)) throw new UsageError(`unknown definition set "${ref}" (bundled: ${Object.keys(bundledSets).join(", ")}; or give a path)`);
  if (statSync(ref).isDirectory() && existsSync(path.join(ref, COMPILED_FILE))) return readCompiled(ref);
  if (isSourceDir(ref)) return compileSourceDir(ref);
  return readCompiled(ref);
}
