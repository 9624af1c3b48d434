import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, contentHash } from "../../src/util/content-hash";
import { sha256Hex } from "../../src/util/sha256";

const reference = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("sha256Hex", () => {
  it("matches node:crypto at every padding boundary, for ASCII and multi-byte text", () => {
    for (let n = 0; n <= 200; n++) {
      expect(sha256Hex("a".repeat(n))).toBe(reference("a".repeat(n)));
      expect(sha256Hex("病".repeat(n))).toBe(reference("病".repeat(n)));
    }
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2 example
    expect(sha256Hex("x".repeat(100_000))).toBe(reference("x".repeat(100_000)));
  });

  it("matches node:crypto on arbitrary strings, including surrogate pairs", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => sha256Hex(s) === reference(s)), { numRuns: 500 });
  });
});

describe("contentHash", () => {
  it("is the SHA-256 of the canonical JSON: key order and undefined fields do not matter", () => {
    const a = { b: 1, a: ["x", { d: null, c: 2 }], u: undefined };
    const b = { a: ["x", { c: 2, d: null }], b: 1 };
    expect(canonicalJson(a)).toBe('{"a":["x",{"c":2,"d":null}],"b":1}');
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).toBe(reference(canonicalJson(b)));
  });

  it("gives the hand-built canonical text for any JSON-like value, including keys whose order the engine would not keep", () => {
    const cases: unknown[] = [
      { 10: "a", 9: "b", x: 1, "!": 2 },
      JSON.parse('{"__proto__": {"b": 1, "a": 2}, "z": [1, {"10": 1, "2": 2}]}'),
      { big: 12345678901234567890n, when: new Date(0), none: undefined, list: [undefined, 1n, { b: 1, a: 2 }] },
      "病", 0, -0, null, undefined, [],
    ];
    for (const v of cases) expect(canonicalJson(v)).toBe(referenceCanonical(v));
    fc.assert(fc.property(fc.jsonValue(), (v) => canonicalJson(v) === referenceCanonical(v)), { numRuns: 500 });
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.nat().map(String), fc.string()), fc.oneof(fc.integer(), fc.string(), fc.constant(undefined))), (v) => canonicalJson(v) === referenceCanonical(v)),
      { numRuns: 300 },
    );
  });
});

/** The canonical form as documented, built naively: keys sorted by UTF-16 code units, undefined left out. */
function referenceCanonical(v: unknown): string {
  if (typeof v === "bigint") return JSON.stringify(v.toString());
  if (v === null || v === undefined || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(referenceCanonical).join(",")}]`;
  const entries = Object.keys(v)
    .sort()
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${referenceCanonical((v as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}
