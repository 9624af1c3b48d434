/**
 * Seeds the demo region into the local D1 that `wrangler dev` uses (through
 * wrangler's platform proxy), unless it already holds data.
 */
import { getPlatformProxy } from "wrangler";
import { isSeeded, seedDemoRegion } from "../fixtures/seed";

const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: "wrangler.toml", persist: true });
try {
  if (await isSeeded(proxy.env.DB)) {
    console.log("medpay: local D1 already holds data; not seeding.");
  } else {
    const started = Date.now();
    await seedDemoRegion(proxy.env.DB);
    console.log(`medpay: seeded the demo region in ${Date.now() - started} ms.`);
  }
} finally {
  await proxy.dispose();
}
