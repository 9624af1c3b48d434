import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL("../../src/payment/", import.meta.url);

describe("src/payment is a pure library (issue 5)", () => {
  it("imports nothing but zod and its own modules (no Hono, D1, drizzle or Node)", () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(new URL(file, dir), "utf8");
      const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
      for (const spec of imports) expect(spec === "zod" || spec.startsWith("./"), `${file} imports ${spec}`).toBe(true);
    }
  });
  it("uses no floating-point helpers on money (Math.round / parseFloat / toFixed)", () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(new URL(file, dir), "utf8");
      expect(/Math\.round|parseFloat|toFixed/.test(text), file).toBe(false);
    }
  });
});
