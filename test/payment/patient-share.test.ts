import { describe, expect, it } from "vitest";
import { previewPatientShare } from "../../src/payment/patient-share.js";
import { params, yuan } from "./builders.js";

const p = params();

describe("patient-share preview (RULES.md §5)", () => {
  it("an employee at a tertiary hospital: 800 deductible, 80% of the rest by the fund", () => {
    const r = previewPatientShare({ scheme: "employee", level: "tertiary", inPolicyCost: yuan(10_800), outOfPolicyCost: yuan(500) }, p);
    expect(r).toMatchObject({ deductible: yuan(800), basicFund: yuan(8_000), coinsurance: yuan(2_000), inPolicyBurden: yuan(2_800), criticalIllness: 0, patientPays: yuan(3_300) });
    expect(r.layers.reduce((a, l) => a + l.amount, 0)).toBe(r.totalCost); // no relief layers here
    expect(r.byPayer).toEqual({ basicFund: yuan(8_000), criticalIllness: 0, medicalAssistance: 0, patient: yuan(3_300) });
  });
  it("a resident at a primary hospital: 200 deductible, 85% ratio", () => {
    expect(previewPatientShare({ scheme: "resident", level: "primary", inPolicyCost: yuan(1_200) }, p).basicFund).toBe(yuan(850));
  });
  it("critical illness pays 60% of the burden above 15,000 yuan counted over the year", () => {
    const r = previewPatientShare({ scheme: "resident", level: "tertiary", inPolicyCost: yuan(100_800), priorThisYear: { basicFundPaid: 0, inPolicyBurden: yuan(5_000) } }, p);
    // burden = 800 + 35% × 100,000 = 35,800; threshold left 10,000 → 25,800 × 60%
    expect(r.inPolicyBurden).toBe(yuan(35_800));
    expect(r.criticalIllness).toBe(yuan(15_480));
    expect(r.byPayer.patient).toBe(yuan(35_800 - 15_480));
  });
  it("medical assistance pays 70% of the remaining in-policy burden for key groups only", () => {
    const base = { scheme: "resident" as const, level: "secondary" as const, inPolicyCost: yuan(4_500), outOfPolicyCost: yuan(100) };
    const r = previewPatientShare({ ...base, keyGroup: true }, p);
    expect([r.inPolicyBurden, r.medicalAssistance, r.patientPays]).toEqual([yuan(1_500), yuan(1_050), yuan(550)]);
    expect(previewPatientShare(base, p).medicalAssistance).toBe(0);
  });
  it("the basic fund stops at the annual cap and the rest stays with the patient", () => {
    const r = previewPatientShare({ scheme: "employee", level: "primary", inPolicyCost: yuan(10_200), priorThisYear: { basicFundPaid: yuan(299_000), inPolicyBurden: 0 } }, p);
    expect([r.basicFund, r.aboveAnnualCap]).toEqual([yuan(1_000), yuan(8_000)]);
  });
});
