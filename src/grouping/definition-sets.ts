import { bundledSets } from "../../grouper";

export interface DefinitionSetSummary {
  id: string;
  version: string;
  label: string;
  labelZh: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  demonstration: boolean;
  drgs: number;
}

/** The definition sets bundled into this Worker, for /health and GET /v1/definitions. */
export function definitionSetSummaries(): DefinitionSetSummary[] {
  return Object.values(bundledSets).map(({ compiled, ...meta }) => ({ ...meta, drgs: compiled.drgs.length }));
}
