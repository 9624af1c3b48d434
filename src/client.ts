/**
 * Typed client for medpay's API: hono's RPC client over the app's route types,
 * so request bodies, parameters and responses are checked by TypeScript with
 * no generated code. See README "Typed client".
 */
import { hc, type ClientRequestOptions } from "hono/client";
import type { App } from "./app";

export type { App };

/** A client for a medpay deployment at `baseUrl`, sending `key` as the bearer token. */
export function createClient(baseUrl: string, key: string, options: Omit<ClientRequestOptions, "headers"> = {}) {
  return hc<App>(baseUrl, { ...options, headers: { authorization: `Bearer ${key}` } });
}

export type MedpayClient = ReturnType<typeof createClient>;
