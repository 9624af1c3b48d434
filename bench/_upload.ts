import { generateClaims } from "../fixtures/generator/claims";
import { readFileSync } from "node:fs";
const keys = JSON.parse(readFileSync("fixtures/demo-keys.json", "utf8"));
const HOSPITALS = { acute: ["H01", "H02", "H03", "H04", "H05", "H08", "H09", "H10", "H11", "H12"], psychiatric: ["H06"], rehabilitation: ["H07"], palliative: ["H03"] };
const n = Number(process.argv[2] ?? 20000), month = process.argv[3] ?? "2026-11";
const lines = [...generateClaims({ seed: 5, month, count: n, persons: n / 4, hospitals: HOSPITALS, claimIdPrefix: "U" + month })].map((c) => JSON.stringify(c));
for (let i = 0; i < lines.length; i += 20000) {
  const t = performance.now();
  const res = await fetch("http://127.0.0.1:8799/v1/claims", { method: "POST", headers: { authorization: `Bearer ${keys.agency}`, "content-type": "application/x-ndjson" }, body: lines.slice(i, i + 20000).join("\n") });
  const j = await res.json() as any;
  console.log(res.status, JSON.stringify(j.counts), ((performance.now() - t) / 1000).toFixed(2), "s", Math.round(20000 / ((performance.now() - t) / 1000)), "lines/s");
}
