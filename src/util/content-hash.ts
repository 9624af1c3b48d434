/**
 * SHA-256 of a value's canonical JSON (object keys sorted, no whitespace), hex.
 * Used wherever "the same content" must be recognised: resubmitted claims,
 * settlement inputs and outputs. Canonical so that key order never matters.
 *
 * Synchronous (sha256.ts): ingestion hashes every claim line. The digest is
 * plain SHA-256, so stored hashes stay comparable across implementations.
 */
import { sha256Hex } from "./sha256";

export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    let s = "[";
    for (let i = 0; i < value.length; i++) s += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return s + "]";
  }
  // Default sort order is UTF-16 code-unit order, as documented for the canonical form.
  const keys = Object.keys(value).sort();
  let s = "{";
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    s += (s.length === 1 ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(v);
  }
  return s + "}";
}
