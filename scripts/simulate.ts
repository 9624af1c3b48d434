/**
 * What-if simulation CLI: `npm run --silent simulate -- <scenario.json>` prints
 * the full result as JSON on stdout. Bad input exits 1 with a JSON error on
 * stderr naming the field. `--schema` prints the scenario JSON Schema instead.
 */
import { readFileSync } from "node:fs";
import { PaymentRuleError, scenarioJsonSchema, simulate } from "../src/payment/index.js";

function main(args: string[]): number {
  if (args[0] === "--schema") {
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return 0;
  }
  const file = args[0];
  if (!file) {
    process.stderr.write("usage: simulate <scenario.json> | --schema\n");
    return 2;
  }
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    process.stderr.write(`${JSON.stringify({ error: "unreadable-scenario", file, message: (e as Error).message })}\n`);
    return 1;
  }
  try {
    process.stdout.write(`${JSON.stringify(simulate(input), null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof PaymentRuleError) {
      process.stderr.write(`${JSON.stringify({ error: e.code, field: e.field, message: e.message, issues: e.issues })}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));
