import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/http";
import { withDemoRegion } from "../support/seed";
import { claim, ndjson, NDJSON } from "./claims";
import { EXA, seedExampleRegion, settle } from "./support";

/*
 * RULES.md §1 (clarified): the R = 15 days count back from the later stay's admission, also across the month
 * boundary. The later stay is admitted on 20 September and discharged in October; the earlier one was
 * discharged on 8 September — 12 days before the readmission, but 23 days before October began.
 */
beforeAll(async () => {
  await withDemoRegion();
  await seedExampleRegion();
  const stay = { hospitalId: "EA1", personId: "Q7", principalDx: "J18.900", secondaryDx: ["K29.700"], totalCostFen: 1_200_000, patientPaidFen: 300_000 };
  const res = await call("POST", "/v1/claims", {
    key: EXA.keys.agency,
    body: ndjson([
      claim({ ...stay, claimId: "rb-earlier", admissionDate: "2026-09-01", dischargeDate: "2026-09-08" }),
      // Another stay of the person in between, at another hospital: it does not break the pair.
      claim({ ...stay, claimId: "rb-between", hospitalId: "EA2", admissionDate: "2026-09-10", dischargeDate: "2026-09-14" }),
      claim({ ...stay, claimId: "rb-later", admissionDate: "2026-09-20", dischargeDate: "2026-10-04" }),
    ]),
    headers: NDJSON,
  });
  expect(res.status).toBe(200);
});

describe("readmissions across the month boundary", () => {
  it("an October run halves the September stay discharged 12 days before the readmission, as an adjustment of −half its points", async () => {
    const run = await settle(EXA.keys.agency, EXA.regionId, "2026-10", undefined, "2026-11-05");
    expect(run.status, run.error ?? "").toBe("completed");
    const { statements } = (await (await call("GET", `/v1/settlements/${run.id}/statements`, { key: EXA.keys.agency })).json()) as { statements: { hospitalId: string; points: string; pointsByClass: Record<string, string> }[] };
    const h1 = statements.find((s) => s.hospitalId === "EA1")!;
    expect(h1.pointsByClass).toEqual({ normal: "120.0000", adjustment: "-60.0000" });
    expect(h1.points).toBe("60.0000");
  });
});
