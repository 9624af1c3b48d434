import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * The directions data flows in (STYLE.md "The shape"): the pure layers know
 * nothing of storage or HTTP, the domain layers nothing of HTTP, and routes and
 * pages reach tables only through domain or store functions. Each import is
 * resolved to the folder it lands in, so `../../src/db` and `../db` are the same.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!);
}

/** The repository folder a relative import lands in (`src/db`, `grouper`…), or the package name. */
function targetOf(file: string, spec: string): string {
  if (!spec.startsWith(".")) return spec;
  return relative(root, resolve(dirname(file), spec)).split("\\").join("/");
}

function violations(layer: string, forbidden: string[]): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(join(root, layer))) {
    for (const spec of importsOf(file)) {
      const target = targetOf(file, spec);
      const hit = forbidden.find((f) => target === f || target.startsWith(`${f}/`));
      if (hit) out.push(`${relative(root, file)} imports ${spec} (${hit})`);
    }
  }
  return out;
}

describe("layering: imports follow the direction data flows", () => {
  it("src/payment and grouper import nothing of db, http, routes, pages, auth or the Worker's settlement", () => {
    const forbidden = ["src/db", "src/http", "src/routes", "src/pages", "src/auth", "src/settlement", "src/budgets", "src/preview", "drizzle-orm", "hono"];
    expect(violations("src/payment", forbidden)).toEqual([]);
    expect(violations("grouper/core", [...forbidden, "src/payment"])).toEqual([]);
  });

  it("settlement, budgets and preview import nothing of http, routes or pages", () => {
    for (const layer of ["src/settlement", "src/budgets", "src/preview"]) {
      expect(violations(layer, ["src/http", "src/routes", "src/pages", "hono"]), layer).toEqual([]);
    }
  });

  it("src/db knows tables, not rules or HTTP", () => {
    expect(violations("src/db", ["src/http", "src/routes", "src/pages", "src/settlement", "src/budgets", "src/preview"])).toEqual([]);
  });

  it("the test can see a violation (a file importing src/http from src/payment would be listed)", () => {
    const spec = "../http/problem";
    expect(targetOf(join(root, "src/payment/x.ts"), spec)).toBe("src/http/problem");
  });
});
