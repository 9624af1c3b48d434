// `npm start`: migrate the local D1, seed the demo region when empty, then
// serve the Worker with `wrangler dev` on PORT (default 8787). MEDPAY_STATE_DIR
// (or --persist-to <dir>) keeps the local D1 in another directory, e.g. a
// throwaway one for the browser tests.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const port = process.env.PORT ?? "8787";
const args = process.argv.slice(2);
const persistFlag = args.indexOf("--persist-to");
const stateDir = persistFlag >= 0 ? args[persistFlag + 1] : process.env.MEDPAY_STATE_DIR;
if (persistFlag >= 0) args.splice(persistFlag, 2);
if (stateDir) process.env.MEDPAY_STATE_DIR = stateDir;
const persistArgs = stateDir ? ["--persist-to", stateDir] : [];
const bin = (name) => `node_modules/.bin/${name}`;

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
  if (result.status !== 0) {
    console.error(`medpay: \`${cmd} ${args.join(" ")}\` failed (exit ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local", ...persistArgs]);
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

const dev = spawn(bin("wrangler"), ["dev", "--port", port, "--ip", "127.0.0.1", ...persistArgs, ...args], {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
