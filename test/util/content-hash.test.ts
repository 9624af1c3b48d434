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
});
