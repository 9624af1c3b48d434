import type { Role } from "./principal";

const encoder = new TextEncoder();

export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new random key: `mp_<role>_` followed by 256 bits in base64url. */
export function generateKey(role: Role): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `mp_${role}_${b64}`;
}

export function keyPrefix(key: string): string {
  return key.slice(0, 16);
}
