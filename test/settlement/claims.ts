/** Small builders for claim lines in tests. */
import type { ClaimInput } from "../../fixtures/generator/claim-shapes";
export type { ClaimInput };

export function claim(overrides: Partial<ClaimInput> & { claimId: string }): ClaimInput {
  return {
    hospitalId: "H01",
    personId: "P00001",
    scheme: "employee",
    wardCategory: "acute",
    admissionDate: "2026-10-03",
    dischargeDate: "2026-10-09",
    sex: "M",
    ageYears: 54,
    dischargeStatus: "1",
    principalDx: "J18.900",
    secondaryDx: ["K29.700"],
    procedures: [],
    totalCostFen: 1_200_000,
    patientPaidFen: 300_000,
    ...overrides,
  };
}

export const ndjson = (lines: unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";

export const NDJSON = { "content-type": "application/x-ndjson" };
export const CSV = { "content-type": "text/csv; charset=utf-8" };

const COLUMNS = ["claimId", "hospitalId", "personId", "scheme", "wardCategory", "admissionDate", "dischargeDate", "periodStart", "periodEnd", "sex", "ageYears", "dischargeStatus", "principalDx", "secondaryDx", "procedures", "totalCostFen", "patientPaidFen", "plannedReadmission"] as const;

export function csv(lines: ClaimInput[], bom = true): string {
  const cell = (v: unknown) => (v === undefined ? "" : Array.isArray(v) ? v.join("|") : String(v));
  const body = [COLUMNS.join(","), ...lines.map((l) => COLUMNS.map((c) => cell(l[c])).join(","))].join("\r\n") + "\r\n";
  return (bom ? "\ufeff" : "") + body;
}

export interface Report {
  submitted: number;
  counts: { accepted: number; superseded: number; duplicates: number; rejected: number };
  accepted: { line: number; id: string; version: number }[];
  superseded: { line: number; id: string; version: number; supersedesVersion: number }[];
  duplicates: { line: number; id: string; version: number }[];
  rejected: { line: number; id?: string; errors: { field: string; reason: string }[] }[];
}

export function balanced(r: Report): boolean {
  return r.counts.accepted + r.counts.superseded + r.counts.duplicates + r.counts.rejected === r.submitted;
}
