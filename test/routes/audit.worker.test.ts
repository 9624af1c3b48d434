import { beforeAll, describe, expect, it } from "vitest";
import { call, demoKeys } from "../support/http";
import { withDemoRegion } from "../support/seed";

beforeAll(withDemoRegion);

interface AuditEntry {
  keyId: string | null;
  role: string | null;
  method: string;
  path: string;
  status: number;
  at: string;
  detail: Record<string, unknown> | null;
}

async function auditEntries(): Promise<AuditEntry[]> {
  const res = await call("GET", "/v1/audit", { key: demoKeys.agency });
  return ((await res.json()) as { entries: AuditEntry[] }).entries;
}

describe("audit log", () => {
  it("records who wrote what and when", async () => {
    const before = Date.now();
    const res = await call("POST", "/v1/keys", { key: demoKeys.agency, json: { role: "consortium", consortiumId: "C01", label: "audited" } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [entry] = await auditEntries();
    expect(entry).toMatchObject({ keyId: "demo-agency", role: "agency", method: "POST", path: "/v1/keys", status: 201, detail: { keyId: id } });
    expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("records refused writes too, with their status", async () => {
    await call("PUT", "/v1/regions/demo/years/2026/parameters", { key: demoKeys.hospital.H01, json: { params: {} } });
    const [entry] = await auditEntries();
    expect(entry).toMatchObject({ keyId: "demo-hospital-H01", method: "PUT", status: 403 });
  });

  it("does not record reads", async () => {
    const n = (await auditEntries()).length;
    await call("GET", "/v1/hospitals", { key: demoKeys.agency });
    expect((await auditEntries()).length).toBe(n);
  });
});
