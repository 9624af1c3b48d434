import { env } from "cloudflare:test";
import { isSeeded, seedDemoRegion } from "../../fixtures/seed";

/** Each test file has its own storage (vitest 4 + workers pool): seed once per file. */
export async function withDemoRegion(): Promise<void> {
  if (!(await isSeeded(env.DB))) await seedDemoRegion(env.DB);
}
