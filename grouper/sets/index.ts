/**
 * Sets bundled with the code (imported as JSON so that esbuild/wrangler inline
 * them). Official sets are imported per deployment and not committed.
 */
import type { CompiledSet, SetMeta } from "../core/types.js";
import demo from "./demo.compiled.json";

/** A bundled set: its metadata (less the long description) beside the compiled artefact. */
export type BundledSet = Omit<SetMeta, "description"> & { compiled: CompiledSet };

function entry(compiled: CompiledSet): BundledSet {
  const { description: _, ...meta } = compiled.meta;
  return { ...meta, compiled };
}

export const bundledSets: Readonly<Record<string, BundledSet>> = Object.freeze({
  demo: entry(demo as unknown as CompiledSet),
});
