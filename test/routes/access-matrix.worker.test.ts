import { beforeAll, describe, expect, it } from "vitest";
import { call, demoKeys } from "../support/http";
import { OTHER, seedOtherRegion } from "../support/other-region";
import { withDemoRegion } from "../support/seed";
import { createApp } from "../../src/app";
import { defaultParameters } from "../../src/payment/parameters";
import exampleA from "../../fixtures/scenarios/example-a.json";
import { env } from "cloudflare:test";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";

/*
 * Every route × every caller: the documented status, exactly. "Other tenant"
 * answers 404 like a missing resource; a role that may never use a route gets
 * 403; no key, a malformed or unknown key, and a revoked key get 401.
 */
type Caller = "agency" | "hospital" | "memberHospital" | "consortium" | "otherAgency" | "otherHospital" | "otherConsortium" | "none" | "unknownKey" | "revoked";

let revokedKey = "";
const keyOf = (who: Caller): string | undefined =>
  ({
    agency: demoKeys.agency,
    hospital: demoKeys.hospital.H01,
    memberHospital: demoKeys.hospital.H04,
    consortium: demoKeys.consortium.C01,
    otherAgency: OTHER.keys.agency,
    otherHospital: OTHER.keys.hospital,
    otherConsortium: OTHER.keys.consortium,
    none: undefined,
    unknownKey: "mp_agency_this_key_was_never_issued",
    revoked: revokedKey,
  })[who];

interface Row {
  method: string;
  path: string;
  json?: unknown;
  /** A raw body (uploads) with its content type. */
  body?: string;
  headers?: Record<string, string>;
  expect: Partial<Record<Caller, number>>;
}

const AUTH_FAILS = { none: 401, unknownKey: 401, revoked: 401 };
const params = { params: defaultParameters({ year: 2026 }) };
const previewBody = { hospitalId: "H01", scheme: "employee", sex: "M", ageYears: 60, losDays: 8, principalDx: "J18.900", totalCostFen: 1_200_000 };
const NDJSON = { "content-type": "application/x-ndjson" };
const matrixClaim = JSON.stringify({
  claimId: "M-1", hospitalId: "H01", personId: "P00001", scheme: "employee", wardCategory: "acute", admissionDate: "2026-10-01",
  dischargeDate: "2026-10-05", sex: "M", ageYears: 50, principalDx: "J18.900", totalCostFen: 100000, patientPaidFen: 20000,
});
const matrixEnrolment = JSON.stringify({ personId: "P00001", contractorId: "H01", disease: "hypertension", startDate: "2026-01-01" });

const rows: Row[] = [
  { method: "GET", path: "/v1/me", expect: { agency: 200, hospital: 200, consortium: 200, otherAgency: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/regions/demo", expect: { agency: 200, hospital: 200, consortium: 200, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/regions/demo/years/2026/parameters", expect: { agency: 200, hospital: 200, consortium: 200, otherAgency: 404, ...AUTH_FAILS } },
  { method: "PUT", path: "/v1/regions/demo/years/2026/parameters", json: params, expect: { agency: 201, hospital: 403, consortium: 403, otherAgency: 404, otherHospital: 403, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/hospitals", expect: { agency: 200, hospital: 200, consortium: 200, otherAgency: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/hospitals/H01", expect: { agency: 200, hospital: 200, memberHospital: 404, consortium: 404, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/hospitals/H04", expect: { agency: 200, hospital: 404, memberHospital: 200, consortium: 200, otherConsortium: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/consortia", expect: { agency: 200, consortium: 200, hospital: 403, otherConsortium: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/consortia/C01", expect: { agency: 200, consortium: 200, hospital: 403, otherAgency: 404, otherConsortium: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/keys", expect: { agency: 200, hospital: 403, consortium: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/keys", json: { role: "hospital", hospitalId: "H02", label: "matrix" }, expect: { agency: 201, hospital: 403, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "DELETE", path: "/v1/keys/no-such-key", expect: { agency: 404, hospital: 403, consortium: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/simulations", json: exampleA, expect: { agency: 200, otherAgency: 200, hospital: 403, consortium: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/preview", json: previewBody, expect: { agency: 200, hospital: 200, memberHospital: 404, consortium: 403, otherAgency: 404, otherHospital: 404, otherConsortium: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/preview/batch", json: { items: [previewBody] }, expect: { agency: 200, hospital: 200, memberHospital: 200, consortium: 403, otherAgency: 200, otherHospital: 200, otherConsortium: 403, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/drgs/EW15", expect: { agency: 200, hospital: 200, consortium: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/drgs?search=EW1", expect: { agency: 200, hospital: 200, consortium: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/consortia/C01/budget?year=2026&asOf=2026-06-30", expect: { agency: 200, consortium: 200, hospital: 403, memberHospital: 403, otherAgency: 404, otherConsortium: 404, otherHospital: 403, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/capitation/H08/budget?year=2026&asOf=2026-06-30", expect: { agency: 200, hospital: 404, memberHospital: 404, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "PUT", path: "/v1/consortia/C01/budget/2026", json: { advanceFen: 0 }, expect: { agency: 200, consortium: 403, hospital: 403, otherAgency: 404, otherConsortium: 403, ...AUTH_FAILS } },
  // 200: a trial clearing (RULES.md §2: no month of the demo year is approved), computed at the outlook's score.
  { method: "POST", path: "/v1/consortia/C01/clearing?year=2026", expect: { agency: 200, consortium: 403, hospital: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/capitation/H08/clearing?year=2026", expect: { agency: 200, consortium: 403, hospital: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/grouper/group", json: { principalDx: "K35.800", procedures: ["47.0100"] }, expect: { agency: 200, hospital: 200, consortium: 200, otherAgency: 200, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/grouper/batch", json: { episodes: [{ principalDx: "K35.800" }] }, expect: { agency: 200, hospital: 200, consortium: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/definitions", expect: { agency: 200, hospital: 200, consortium: 200, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/claims", body: matrixClaim, headers: NDJSON, expect: { agency: 200, hospital: 200, memberHospital: 200, consortium: 403, otherAgency: 200, otherHospital: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/claims?month=2026-10", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 200, otherHospital: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/claims/M-1", expect: { agency: 200, hospital: 200, memberHospital: 404, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/enrolments", body: matrixEnrolment, headers: NDJSON, expect: { agency: 200, hospital: 200, memberHospital: 200, consortium: 403, otherAgency: 200, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/settlements", json: { regionId: "demo", period: "2026-10" }, expect: { agency: 202, hospital: 403, consortium: 403, otherAgency: 404, otherHospital: 403, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/settlements?regionId=demo", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/settlements/matrix-run", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/settlements/matrix-run/statements", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/settlements/matrix-run/statements.csv", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/settlements/matrix-run/approve", expect: { agency: 200, hospital: 403, consortium: 403, otherAgency: 404, otherHospital: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/clearings", json: { regionId: "demo", year: 2026 }, expect: { agency: 200, hospital: 403, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/clearings", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 200, otherHospital: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/clearings/matrix-clearing", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "PUT", path: "/v1/regions/demo/years/2026/scores", json: [{ subjectKind: "hospital", subjectId: "H01", score: 90 }], expect: { agency: 200, hospital: 403, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  // The monthly review (issue 17): hospitals request, withdraw and appeal (their own); only the agency decides; consortia see none.
  { method: "POST", path: "/v1/reviews", json: { claimId: "M-1", reason: "matrix", claimedFen: 1000 }, expect: { hospital: 201, memberHospital: 404, agency: 403, consortium: 403, otherAgency: 403, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/reviews?month=2026-10", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 200, otherHospital: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/reviews/no-such-review", expect: { agency: 404, hospital: 404, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/reviews/no-such-review/withdraw", expect: { hospital: 404, agency: 403, consortium: 403, otherHospital: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/reviews/no-such-review/decision", json: { decision: "reject", reason: "matrix" }, expect: { agency: 404, hospital: 403, memberHospital: 403, consortium: 403, otherAgency: 404, otherHospital: 403, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/flags?month=2026-10", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 200, otherHospital: 200, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/flags/no-such-flag/decision", json: { decision: "dismiss", reason: "matrix" }, expect: { agency: 404, hospital: 403, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/violations", json: { claimId: "no-such-claim", kind: "fraud", reason: "matrix" }, expect: { agency: 404, hospital: 403, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/violations", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/violations/no-such-violation", expect: { agency: 404, hospital: 404, consortium: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/appeals", json: { subjectKind: "violation", subjectId: "no-such-violation", evidence: "matrix" }, expect: { hospital: 404, agency: 403, consortium: 403, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/appeals", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 200, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/appeals/no-such-appeal", expect: { agency: 404, hospital: 404, consortium: 403, ...AUTH_FAILS } },
  { method: "POST", path: "/v1/appeals/no-such-appeal/decision", json: { decision: "uphold", reason: "matrix" }, expect: { agency: 404, hospital: 403, consortium: 403, otherAgency: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/settlements/matrix-run/decisions", expect: { agency: 200, hospital: 200, consortium: 403, otherAgency: 404, otherHospital: 404, ...AUTH_FAILS } },
  { method: "GET", path: "/v1/audit", expect: { agency: 200, hospital: 403, consortium: 403, otherAgency: 200, ...AUTH_FAILS } },
];

beforeAll(async () => {
  await withDemoRegion();
  await seedOtherRegion();
  await ensureDemoWeights();
  // A finished run and a recorded clearing of the demo region for the settlement rows.
  await env.DB.batch([
    env.DB.prepare("INSERT INTO settlement_runs (id, region_id, period, status, totals, episodes_total) VALUES ('matrix-run', 'demo', '2026-09', 'completed', '{}', 1)"),
    env.DB.prepare("INSERT INTO clearings (id, region_id, year, kind, input_hash, result) VALUES ('matrix-clearing', 'demo', 2026, 'drg', 'x', '{}')"),
  ]);
  const created = await call("POST", "/v1/keys", { key: demoKeys.agency, json: { role: "hospital", hospitalId: "H01", label: "to revoke" } });
  const { id, key } = (await created.json()) as { id: string; key: string };
  expect((await call("DELETE", `/v1/keys/${id}`, { key: demoKeys.agency })).status).toBe(200);
  revokedKey = key;
});

describe("access matrix", () => {
  for (const row of rows) {
    for (const [who, status] of Object.entries(row.expect) as [Caller, number][]) {
      it(`${row.method} ${row.path} as ${who} → ${status}`, async () => {
        const res = await call(row.method, row.path, { key: keyOf(who), json: row.json, body: row.body, headers: row.headers });
        const text = await res.text();
        expect(res.status, text).toBe(status);
        if (status >= 400) expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        if (who.startsWith("other") && status === 200) expect(text).not.toMatch(/"(H0[1-9]|H1[0-2]|C01)"|"regionId":"demo"/);
      });
    }
  }

  it("every documented route has rows in this matrix", () => {
    const doc = createApp().getOpenAPI31Document({ openapi: "3.1.0", info: { title: "medpay", version: "matrix" } });
    const missing: string[] = [];
    for (const [template, item] of Object.entries(doc.paths ?? {})) {
      if (!template.startsWith("/v1/")) continue; // public routes (health, docs) take no key
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}(\\?.*)?$`);
      for (const method of Object.keys(item as object)) {
        if (!rows.some((r) => r.method === method.toUpperCase() && pattern.test(r.path))) missing.push(`${method.toUpperCase()} ${template}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("a malformed Authorization header is 401, not a crash", async () => {
    const res = await call("GET", "/v1/me", { headers: { authorization: "Basic abc" } });
    expect(res.status).toBe(401);
  });
});

/** The preview needs a weight table for the demo year; the demo seed may not carry one yet. */
async function ensureDemoWeights() {
  const db = openDatabase(env.DB);
  if (await db.query.weightTables.findFirst({ where: (w, { eq }) => eq(w.regionId, "demo") })) return;
  await db.batch([
    db.insert(schema.weightTables).values({ regionId: "demo", year: 2026, avgAllCostFen: 1_000_000, version: "matrix" }),
    db.insert(schema.drgWeights).values({ regionId: "demo", year: 2026, drg: "EW15", adrg: "EW1", rw: 12_000, avgCostFen: 1_200_000, avgLosTenths: 85 }),
  ]);
}
