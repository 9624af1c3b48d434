/**
 * A cached grouper and name index per bundled definition set. Compiling the
 * lookup structures costs a few milliseconds, so each isolate does it once per
 * set. (Smallest adapter over grouper/index.ts; the lead's src/grouping may
 * replace it.)
 */
import { bundledSets, createGrouper, type Grouper } from "../../grouper";
import { setViewOf, type SetView } from "./set-view";

export interface LoadedSet {
  grouper: Grouper;
  view: SetView;
}

const loaded = new Map<string, LoadedSet>();

/** The grouper and index of a bundled set, or undefined when no such set is bundled. */
export function grouperFor(setId: string): LoadedSet | undefined {
  let entry = loaded.get(setId);
  if (!entry) {
    const bundled = bundledSets[setId];
    if (!bundled) return undefined;
    entry = { grouper: createGrouper(bundled.compiled), view: setViewOf(bundled.compiled) };
    loaded.set(setId, entry);
  }
  return entry;
}
