import { type BundledSet, bundledSets } from "../../grouper";

/** A bundled set as /health and GET /v1/definitions show it: its metadata and how many DRGs it has. */
export type DefinitionSetSummary = Omit<BundledSet, "compiled"> & { drgs: number };

/** The definition sets bundled into this Worker, for /health and GET /v1/definitions. */
export function definitionSetSummaries(): DefinitionSetSummary[] {
  return Object.values(bundledSets).map(({ compiled, ...meta }) => ({ ...meta, drgs: compiled.drgs.length }));
}
