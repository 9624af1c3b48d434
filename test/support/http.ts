import { SELF } from "cloudflare:test";
import { demoKeys } from "../../fixtures/demo-region";

export const BASE = "http://medpay.test";

export { demoKeys };

/** A request through the Worker's real fetch handler, with an optional bearer key and JSON body. */
export function call(method: string, path: string, opts: { key?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(opts.json);
  }
  return SELF.fetch(`${BASE}${path}`, { method, headers, body });
}

export async function expectProblem(res: Response, status: number) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}: ${text}`);
  }
  const body = JSON.parse(text) as { type: string; code: string; title: string; status: number; detail: string; requestId?: string; errors?: { field: string; reason: string }[] };
  if (body.status !== status || !body.title || !body.detail || !body.type || !body.code) throw new Error(`incomplete problem body: ${text}`);
  if (!body.requestId || body.requestId !== res.headers.get("x-request-id")) throw new Error(`problem without the response's request id: ${text}`);
  return body;
}
