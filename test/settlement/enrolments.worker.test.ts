import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, demoKeys } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { balanced, NDJSON, ndjson, CSV, type Report } from "./claims";

beforeAll(withDemoRegion);

async function submit(body: string, key = demoKeys.agency, headers = NDJSON): Promise<Report> {
  const res = await call("POST", "/v1/enrolments", { key, body, headers });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const r = JSON.parse(text) as Report;
  expect(balanced(r)).toBe(true);
  return r;
}

describe("enrolment ingestion", () => {
  it("a seeded enrolment resubmitted unchanged is a duplicate (the seed hashes with the same content function)", async () => {
    const seeded = await env.DB.prepare("SELECT person_id, contractor_id, disease, start_date, end_date FROM enrolments LIMIT 1").first<Record<string, string | null>>();
    const line = { personId: seeded!.person_id, contractorId: seeded!.contractor_id, disease: seeded!.disease, startDate: seeded!.start_date, ...(seeded!.end_date ? { endDate: seeded!.end_date } : {}) };
    const r = await submit(ndjson([line]));
    expect(r.counts).toEqual({ accepted: 0, superseded: 0, duplicates: 1, rejected: 0 });
  });

  it("new, changed and foreign-contractor lines are counted line by line", async () => {
    const base = { personId: "P02399", contractorId: "H08", disease: "diabetes", startDate: "2026-03-01" };
    expect((await submit(ndjson([base]), demoKeys.hospital.H08)).counts.accepted).toBe(1);
    const r = await submit(ndjson([{ ...base, endDate: "2026-09-30" }, { ...base, personId: "P02398", contractorId: "H09" }, { ...base, startDate: "soon" }]), demoKeys.hospital.H08);
    expect(r.counts).toEqual({ accepted: 0, superseded: 1, duplicates: 0, rejected: 2 });
    expect(r.rejected.map((x) => x.errors[0]!.field)).toEqual(["contractorId", "startDate"]);
    const rows = (await env.DB.prepare("SELECT version, status FROM enrolments WHERE enrolment_id = 'E-P02399-diabetes' ORDER BY version").all()).results;
    expect(rows).toEqual([
      { version: 1, status: "superseded" },
      { version: 2, status: "current" },
    ]);
  });

  it("reads CSV with a BOM", async () => {
    const r = await submit("\ufeffenrolmentId,personId,contractorId,disease,startDate\r\nE-CSV-1,P02397,H11,hypertension,2026-01-01\r\n", demoKeys.agency, CSV);
    expect(r.accepted).toEqual([{ line: 2, id: "E-CSV-1", version: 1 }]);
  });
});
