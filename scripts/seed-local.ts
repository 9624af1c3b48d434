/**
 * Seeds the demo region into the local D1 that `wrangler dev` uses (through
 * wrangler's platform proxy), unless it already holds data.
 */
import path from "node:path";
import { getPlatformProxy } from "wrangler";
import { isSeeded, seedDemoRegion } from "../fixtures/seed";

// MEDPAY_STATE_DIR mirrors `wrangler --persist-to <dir>`, which keeps its data under <dir>/v3.
const stateDir = process.env.MEDPAY_STATE_DIR;
const persist = stateDir ? { path: path.join(path.resolve(stateDir), "v3") } : true;
const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: "wrangler.toml", persist });
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
