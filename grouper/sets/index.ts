/**
 * Sets bundled with the code (imported as JSON so that esbuild/wrangler inline
 * them). Official sets are imported per deployment and not committed.
 */
import type { CompiledSet, SetMeta } from "../core/types.js";
import demo from "./demo.compiled.json";

export interface BundledSet {
  id: string;
  version: string;
  label: string;
  labelZh: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  demonstration: boolean;
  compiled: CompiledSet;
}

function entry(compiled: CompiledSet): BundledSet {
  const m: SetMeta = compiled.meta;
  return { id: m.id, version: m.version, label: m.label, labelZh: m.labelZh, effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo, demonstration: m.demonstration, compiled };
}

export const bundledSets: Readonly<Record<string, BundledSet>> = Object.freeze({
  demo: entry(demo as unknown as CompiledSet),
});
