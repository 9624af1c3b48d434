/**
 * medpay DRG grouper: public API (GROUPER.md). Pure: no Node, Workers or
 * database imports here, so the Worker, CLI, benchmarks and tests share it.
 */
export { episodeSchema, readEpisodeFast, isEpisodeFields, type Episode, type EpisodeInput, type EpisodeFields } from "./core/episode.js";
export {
  createGrouper,
  type Grouper,
  type GroupResult,
  type GroupOptions,
  type GroupStatus,
  type Flag,
  type CcEvidence,
  type TraceStep,
} from "./core/group.js";
export { compileDefinitionSet, SOURCE_FILES, SOURCE_FORMAT, SOURCE_FORMAT_VERSION } from "./core/compile.js";
export { codeKey } from "./core/normalise.js";
export { formatExplanation } from "./core/explain.js";
export { listDrgs, searchDrgs, type DrgEntry } from "./core/catalogue.js";
export { DefinitionError, type DefinitionIssue } from "./format/errors.js";
export { bundledSets, type BundledSet } from "./sets/index.js";
export type { CompiledSet, SetMeta, SetOptions, EditCode, MdcRule, AdrgRule, AdrgKind, SplitRule, QyMode } from "./core/types.js";
