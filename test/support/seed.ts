import { env } from "cloudflare:test";
import { isSeeded, seedDemoRegion } from "../../fixtures/seed";

/*
 * Each test file has its own storage (vitest 4 + workers pool): seed once per
 * file. Both take no arguments so they can be passed to beforeAll directly.
 */

/** The demo region without claims: most tests build the claims they reason about. */
export async function withDemoRegion(): Promise<void> {
  if (!(await isSeeded(env.DB))) await seedDemoRegion(env.DB, { claims: false });
}

/** The demo region as `npm start` seeds it, with ten months of grouped claims. */
export async function withDemoRegionAndClaims(): Promise<void> {
  if (!(await isSeeded(env.DB))) await seedDemoRegion(env.DB, { claims: true });
}
