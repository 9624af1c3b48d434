import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDefinitionSet, DefinitionError, episodeSchema, readEpisodeFast } from "../../grouper/index.js";
import { readSourceDir, serialiseCompiled } from "../../grouper/node.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const demoDir = path.join(repoRoot, "grouper/definitions/demo");
const demoFiles = readSourceDir(demoDir);

function issuesOf(files: Record<string, string>): string[] {
  try {
    compileDefinitionSet(files);
  } catch (e) {
    if (e instanceof DefinitionError) return e.issues.map((i) => `${i.file}:${i.line}: ${i.reason}`);
    throw e;
  }
  return [];
}
const append = (file: string, row: string) => ({ ...demoFiles, [file]: demoFiles[file] + row + "\n" });
const lineCount = (file: string) => demoFiles[file]!.split("\n").length;

describe("compiler validation (issue 4 §1: file, line and reason)", () => {
  it("the demo source compiles cleanly", () => {
    expect(issuesOf(demoFiles)).toEqual([]);
  });
  it("an ADRG naming an unknown MDC fails with file and line", () => {
    const issues = issuesOf(append("adrg.tsv", "ZX9\tMDCQQ\tMEDICAL\tPDX\t\tx\tx"));
    expect(issues).toContainEqual(`adrg.tsv:${lineCount("adrg.tsv")}: ADRG ZX9: unknown MDC MDCQQ (not in mdc.tsv)`);
  });
  it("a diagnosis row for a dangling ADRG fails", () => {
    expect(issuesOf(append("adrg_dx.tsv", "QQ9\tJ18.900"))).toContainEqual(`adrg_dx.tsv:${lineCount("adrg_dx.tsv")}: dangling ADRG QQ9 (not in adrg.tsv)`);
  });
  it("a duplicate row fails, also when it differs only in spelling", () => {
    const issues = issuesOf(append("cc.tsv", "j96.000\tMCC\tE1"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^cc\.tsv:\d+: duplicate row: code j96\.000 already at line \d+$/);
  });
  it("an unknown rule, a missing column and an ADRG without DRGs are all reported", () => {
    const files = append("adrg.tsv", "EY1\tMDCE\tMEDICAL\tPDX_OR_WHATEVER\t\tx\tx");
    files["drg.tsv"] = demoFiles["drg.tsv"]!.replace("split_rule\t", "rule\t");
    const issues = issuesOf(files);
    expect(issues.some((i) => i.includes('unknown rule "PDX_OR_WHATEVER"'))).toBe(true);
    expect(issues.some((i) => i.startsWith("drg.tsv:") && i.includes("header lacks column(s) split_rule"))).toBe(true);
  });
  it("a procedure ADRG after a medical one in the same MDC fails", () => {
    const issues = issuesOf(append("adrg.tsv", "EJ9\tMDCE\tSURGICAL\tMAIN_PROC\t\tx\tx"));
    expect(issues.some((i) => i.includes("procedure ADRGs must come first"))).toBe(true);
  });
});

describe("committed demo artefact", () => {
  it("is exactly what the compiler makes from grouper/definitions/demo (run `npm run definitions -- compile grouper/definitions/demo --out grouper/sets --name demo` if this fails)", () => {
    const committed = readFileSync(path.join(repoRoot, "grouper/sets/demo.compiled.json"), "utf8");
    expect(committed).toBe(serialiseCompiled(compileDefinitionSet(demoFiles)));
  });
  it("covers all 26 MDCs and at least 100 ADRGs with Chinese and English names", () => {
    const set = compileDefinitionSet(demoFiles);
    expect(set.mdcs).toHaveLength(26);
    expect(set.adrgs.length).toBeGreaterThanOrEqual(100);
    expect(set.drgs.every((d) => d.nameZh !== "" && d.nameEn !== "")).toBe(true);
    expect(set.meta.demonstration).toBe(true);
  });
});

describe("episode input", () => {
  const samples: unknown[] = [
    { id: 7, sex: "F", ageYears: 3, principalDx: "J18.900", secondaryDx: ["I50.900"], procedures: [] },
    { id: "x", sex: null, ageYears: null, principalDx: null },
    { id: "x", sex: "X" },
    { ageYears: -1 },
    { ageYears: 2.5 },
    { secondaryDx: "J18.900" },
    { procedures: [1] },
    { birthWeightGrams: 1234.5, dischargeStatus: 5 },
    [],
    null,
  ];
  it.each(samples.map((s) => [JSON.stringify(s), s]))("the fast reader agrees with episodeSchema on %s", (_, s) => {
    const viaSchema = episodeSchema.safeParse(s);
    const fast = readEpisodeFast(s);
    expect(fast !== null).toBe(viaSchema.success);
    if (viaSchema.success) expect(fast).toEqual(JSON.parse(JSON.stringify(viaSchema.data)));
  });
});

describe("code spelling across tables", () => {
  it("a code spelled two ways in one set fails compilation, naming both places", () => {
    const issues = issuesOf(append("cc_exclusion.tsv", "f32.900\tT1"));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^cc_exclusion\.tsv:\d+: code f32\.900 is spelled F32\.900 at (mdc_dx|adrg_dx)\.tsv:\d+; use one spelling$/);
  });
});
