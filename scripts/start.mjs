// `npm start`: migrate the local D1, seed the demo region when empty, then
// serve the Worker with `wrangler dev` on PORT (default 8787).
// MEDPAY_PERSIST_TO=<dir> keeps the local D1 there instead of .wrangler/state
// (benchmarks use a throwaway directory).
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const port = process.env.PORT ?? "8787";
const bin = (name) => `node_modules/.bin/${name}`;
const persist = process.env.MEDPAY_PERSIST_TO ? ["--persist-to", process.env.MEDPAY_PERSIST_TO] : [];

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
  if (result.status !== 0) {
    console.error(`medpay: \`${cmd} ${args.join(" ")}\` failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...persist]);
run(bin("tsx"), ["scripts/seed-local.ts"]);

const keys = JSON.parse(readFileSync("fixtures/demo-keys.json", "utf8"));
const url = `http://127.0.0.1:${port}`;
console.log(`
medpay is starting at ${url}
  health:     ${url}/health
  API docs:   ${url}/docs
  dashboard:  ${url}/app

Demo keys (local development only; send as "Authorization: Bearer <key>"):
  agency (region demo):   ${keys.agency}
${Object.entries(keys.consortium).map(([id, k]) => `  consortium ${id}:        ${k}`).join("\n")}
${Object.entries(keys.hospital).map(([id, k]) => `  hospital ${id}:          ${k}`).join("\n")}
`);

const dev = spawn(bin("wrangler"), ["dev", "--port", port, "--ip", "127.0.0.1", ...persist, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
