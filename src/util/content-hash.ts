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

/**
 * The canonical JSON of a JSON-like value: object keys in UTF-16 code-unit order at every depth, no whitespace,
 * undefined properties left out, bigints as decimal strings, objects without own enumerable keys (Date, Map) as {}.
 */
export function canonicalJson(value: unknown): string {
  try {
    // A key-sorted copy serialised by one native JSON.stringify: several times faster than building the text
    // here (ingestion hashes every claim line), and the same text, as long as the engine keeps the copy's
    // insertion order. It does not for array-index keys ("9" before "10") and "__proto__": those take the slow way.
    return JSON.stringify(sortedCopy(value)) ?? "null";
  } catch (e) {
    if (e !== KEY_ORDER_UNKEPT) throw e;
    return canonicalText(value);
  }
}

const KEY_ORDER_UNKEPT = Symbol("key order unkept");
const ORDER_UNSAFE_KEY = /^(?:\d+|__proto__)$/;

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? value.toString() : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const c = sortedCopy(v);
      if (c !== v) (copy ??= value.slice())[i] = c;
    }
    return copy ?? value;
  }
  const keys = Object.keys(value).sort();
  const copy: Record<string, unknown> = {};
  for (const k of keys) {
    if (ORDER_UNSAFE_KEY.test(k)) throw KEY_ORDER_UNKEPT;
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) copy[k] = sortedCopy(v);
  }
  return copy;
}

/** The same text built by hand: the definition the fast path must match. */
function canonicalText(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return JSON.stringify(value.toString());
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    let s = "[";
    for (let i = 0; i < value.length; i++) s += (i === 0 ? "" : ",") + canonicalText(value[i]);
    return s + "]";
  }
  const keys = Object.keys(value).sort();
  let s = "{";
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    s += (s.length === 1 ? "" : ",") + JSON.stringify(k) + ":" + canonicalText(v);
  }
  return s + "}";
}
