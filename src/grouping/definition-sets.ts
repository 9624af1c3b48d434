/** Definition sets bundled into the Worker. Filled in when the grouper library lands. */
export function definitionSetSummaries(): { id: string; version: string; label: string }[] {
  return [];
}
