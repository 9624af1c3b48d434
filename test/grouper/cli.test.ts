import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const cli = (args: string[], input: string) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "grouper/cli/main.ts"), ...args], { input, encoding: "utf8", cwd: repoRoot });

describe("grouper CLI (issue 4 §6)", () => {
  it("groups JSON lines from stdin with the demo set and reports bad lines with their line number without stopping", () => {
    const input = [
      JSON.stringify({ id: "a", sex: "M", ageYears: 70, principalDx: "J18.900", secondaryDx: ["J96.000"] }),
      "{not json",
      JSON.stringify({ id: "b", sex: "X", principalDx: "J18.900" }),
      "",
      JSON.stringify({ id: 4, sex: "F", ageYears: 30, principalDx: "F32.900" }),
    ].join("\n");
    const run = cli(["group", "--definitions", "demo"], input);
    expect(run.status).toBe(0);
    const out = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ id: "a", line: 1, mdc: "MDCE", adrg: "EW1", drg: "EW11", flags: [] });
    expect(out[1]).toMatchObject({ line: 2, error: expect.stringContaining("invalid JSON") });
    expect(out[2]).toMatchObject({ id: "b", line: 3, error: expect.stringContaining("sex") });
    expect(out[3]).toMatchObject({ id: "4", line: 5, drg: "TR29" });
    expect(run.stderr).not.toMatch(/episodes|lines/); // no progress bar when stderr is not a TTY
  }, 20_000);

  it("--explain prints the trace readably", () => {
    const run = cli(["--definitions", "demo", "--explain"], JSON.stringify({ id: "a", sex: "M", ageYears: 70, principalDx: "J18.900", secondaryDx: ["J15.900"] }) + "\n");
    expect(run.stdout).toContain("episode a → EW15");
    expect(run.stdout).toMatch(/excluded: CC J15\.900 \[table E3\]/);
    expect(run.stdout).toMatch(/adrg\s+EW1 matches \(PDX\)\s+← adrg\.tsv:\d+/);
  }, 20_000);

  it("an unknown definition set is a usage error, not a crash", () => {
    const run = cli(["--definitions", "no-such-set"], "");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown definition set "no-such-set"');
  }, 20_000);

  it("the launcher behind `npm run group` runs the bundled CLI, and worker threads give the same lines in the same order", () => {
    // Several MiB, so that the input is read in many chunks and split across two workers; multi-byte ids
    // cross chunk boundaries, and bad lines keep their line numbers.
    const good = (i: number) => JSON.stringify({ id: `病例-${i}`, sex: i % 2 ? "M" : "F", ageYears: 40 + (i % 50), principalDx: "J18.900", secondaryDx: i % 3 ? ["J96.000"] : [] });
    const lines = Array.from({ length: 40_000 }, (_, i) => (i % 9973 === 5 ? "{broken" : good(i)));
    const dir = mkdtempSync(path.join(os.tmpdir(), "medpay-cli-"));
    try {
      const file = path.join(dir, "episodes.jsonl");
      writeFileSync(file, lines.join("\n") + "\n");
      const launch = (threads: string) =>
        spawnSync(process.execPath, [path.join(repoRoot, "grouper/cli/run.mjs"), "group", "--definitions", "demo", "--input", file, "--threads", threads], {
          encoding: "utf8", cwd: repoRoot, maxBuffer: 2 ** 28,
        });
      const single = launch("0");
      const parallel = launch("2");
      expect(single.status, single.stderr).toBe(0);
      expect(parallel.status, parallel.stderr).toBe(0);
      expect(parallel.stdout).toBe(single.stdout);
      const out = single.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(out).toHaveLength(lines.length);
      expect(out[5]).toMatchObject({ line: 6, error: expect.stringContaining("invalid JSON") });
      expect(out[39_998]).toMatchObject({ id: "病例-39998", line: 39_999, drg: "EW11" }); // J96.000 counts as MCC
      expect(out[39_999]).toMatchObject({ id: "病例-39999", line: 40_000, drg: "EW15" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
