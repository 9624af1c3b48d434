export interface DefinitionIssue {
  file: string;
  /** 1-based line in the file; 0 = the file as a whole */
  line: number;
  reason: string;
}

/** A definition set that cannot be compiled; `issues` name file, line and reason. */
export class DefinitionError extends Error {
  readonly issues: DefinitionIssue[];
  constructor(issues: DefinitionIssue[]) {
    const shown = issues.slice(0, 20).map((i) => `${i.file}:${i.line}: ${i.reason}`);
    if (issues.length > 20) shown.push(`… and ${issues.length - 20} more`);
    super(`definition set is invalid:\n${shown.join("\n")}`);
    this.name = "DefinitionError";
    this.issues = issues;
  }
}
