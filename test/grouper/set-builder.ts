/**
 * Builds small definition sets in the source format (definitions/README.md)
 * for tests of single rule kinds: a few MDCs, ADRGs and lists written in the
 * test itself, not copied from any published table.
 */
import { compileDefinitionSet, createGrouper, DefinitionError, type Grouper } from "../../grouper/index.js";

export interface MdcSpec {
  mdc: string;
  rule?: string;
  qyDrg?: string;
  sexEdit?: boolean;
  qyRule?: string;
  qyIfNotEntered?: string;
  /** principal list; `code*` marks a row that also counts as a secondary (position any), `code@region` a trauma region */
  dx: string[];
}

export interface AdrgSpec {
  adrg: string;
  mdc: string;
  kind?: "SURGICAL" | "NON_OR_PROCEDURE" | "MEDICAL";
  rule?: string;
  param?: string;
  /** list name → diagnosis codes (classic rules: the list name `dx`) */
  dx?: Record<string, string[]>;
  /** list name → procedure codes */
  proc?: Record<string, string[]>;
  /** suffixes in test order, e.g. ["1", "3", "5"]; default unsplit ["9"] */
  split?: string[];
}

export interface SetSpec {
  options?: Record<string, unknown>;
  mdcs: MdcSpec[];
  adrgs: AdrgSpec[];
  cc?: [code: string, level: "CC" | "MCC", table: string][];
  cce?: [principal: string, table: string][];
  orProc?: string[];
  notPrincipal?: string[];
  notOperation?: string[];
}

const SPLIT: Record<string, string> = { "1": "MCC", "3": "MCC_OR_CC", "5": "ALWAYS", "9": "ALWAYS" };

export function sourceFiles(spec: SetSpec): Record<string, string> {
  const rows = (header: string, lines: string[]) => [header, ...lines].join("\n") + "\n";
  const files: Record<string, string> = {
    "set.json": JSON.stringify({
      format: "medpay-drg-source", formatVersion: 1, id: "test", version: "1", label: "test set", effectiveFrom: "2025-01-01",
      options: {
        qy: "off", rejectOn: [], rejected: { mdc: "0000", adrg: "00", drg: "0000" }, ungroupable: { mdc: "0000", adrg: "00", drg: "0000" }, ...spec.options,
      },
    }),
    "mdc.tsv": rows("mdc\tentry_rule\tqy_drg\tsex_edit\tqy_rule\tqy_if_not_entered\tname_zh\tname_en\torigin", spec.mdcs.map((m) =>
      [m.mdc, m.rule ?? "PDX", m.qyDrg ?? "", m.sexEdit ? "yes" : "", m.qyRule ?? "", m.qyIfNotEntered ?? "", m.mdc, m.mdc, `upstream MDC/${m.mdc}.dat`].join("\t"))),
    "mdc_dx.tsv": rows("mdc\tdx_code\ttrauma_region\tposition", spec.mdcs.flatMap((m) => m.dx.map((d) => {
      const [code, region] = d.replace(/\*$/, "").split("@");
      return [m.mdc, code, region ?? "", d.endsWith("*") ? "any" : ""].join("\t");
    }))),
    "adrg.tsv": rows("adrg\tmdc\tkind\trule\tparam\tname_zh\tname_en\torigin", spec.adrgs.map((a) =>
      [a.adrg, a.mdc, a.kind ?? "MEDICAL", a.rule ?? "CONDITIONS", a.param ?? "", a.adrg, a.adrg, `upstream ADRG/${a.adrg}.dat`].join("\t"))),
    "adrg_dx.tsv": rows("adrg\tlist\tdx_code", spec.adrgs.flatMap((a) => Object.entries(a.dx ?? {}).flatMap(([l, codes]) => codes.map((c) => `${a.adrg}\t${l}\t${c}`)))),
    "adrg_proc.tsv": rows("adrg\tlist\tproc_code\ttag", spec.adrgs.flatMap((a) => Object.entries(a.proc ?? {}).flatMap(([l, codes]) => codes.map((c) => `${a.adrg}\t${l}\t${c}\t`)))),
    "drg.tsv": rows("drg\tadrg\tsuffix\tsplit_rule\tparam\tname_zh\tname_en", spec.adrgs.flatMap((a) => (a.split ?? ["9"]).map((s) => `${a.adrg}${s}\t${a.adrg}\t${s}\t${SPLIT[s]}\t\t${a.adrg}${s}\t${a.adrg}${s}`))),
    "cc.tsv": rows("dx_code\tlevel\texclusion_table", (spec.cc ?? []).map((r) => r.join("\t"))),
    "cc_exclusion.tsv": rows("principal_dx\texclusion_table", (spec.cce ?? []).map((r) => r.join("\t"))),
    "or_proc.tsv": rows("proc_code\tname", (spec.orProc ?? []).map((c) => `${c}\t`)),
  };
  if (spec.notPrincipal) files["dx_not_principal.tsv"] = rows("dx_code\tname", spec.notPrincipal.map((c) => `${c}\t`));
  if (spec.notOperation) files["proc_not_operation.tsv"] = rows("proc_code\tname", spec.notOperation.map((c) => `${c}\t`));
  return files;
}

export function grouperOf(spec: SetSpec): Grouper {
  return createGrouper(compileDefinitionSet(sourceFiles(spec)));
}

/** The `file:line: reason` lines of the DefinitionError that `run` throws (none when it succeeds). */
export function definitionIssues(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof DefinitionError) return e.issues.map((i) => `${i.file}:${i.line}: ${i.reason}`);
    throw e;
  }
  return [];
}
