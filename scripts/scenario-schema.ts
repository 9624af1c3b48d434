/** Regenerates fixtures/scenarios/scenario.schema.json from the zod schemas: `npx tsx scripts/scenario-schema.ts`. */
import { writeFileSync } from "node:fs";
import { scenarioJsonSchema } from "../src/payment/index.js";

const target = new URL("../fixtures/scenarios/scenario.schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
