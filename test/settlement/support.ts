import { env, introspectWorkflow } from "cloudflare:test";
import { expect } from "vitest";
import { hashKey, keyPrefix } from "../../src/auth/keys";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { defaultParameters } from "../../src/payment/parameters";
import { NOW_HEADER } from "../../src/http/clock";
import { call } from "../support/http";
import { claim } from "./claims";

/** A small region for RULES.md worked example A: two hospitals, weights on the demo set's DRGs. */
export const EXA = {
  regionId: "exa",
  keys: {
    agency: "mp_agency_test_example_a_region_0001",
    h1: "mp_hospital_test_example_a_h1_000002",
    h2: "mp_hospital_test_example_a_h2_000003",
  },
} as const;

/** The demo grouper sends pneumonia to EW15, hypertension to FV15 and liver cancer to HR15: weights A, B and C of example A. */
export const EXAMPLE_A_WEIGHTS = [
  { drg: "EW15", adrg: "EW1", rw: 12_000, avgCostFen: 1_200_000 },
  { drg: "FV15", adrg: "FV1", rw: 5_000, avgCostFen: 500_000 },
  { drg: "HR15", adrg: "HR1", rw: 25_000, avgCostFen: 2_500_000 },
];

export async function seedExampleRegion(): Promise<void> {
  const db = openDatabase(env.DB);
  if (await db.query.regions.findFirst({ where: (r, { eq }) => eq(r.id, EXA.regionId) })) return;
  await db.batch([
    db.insert(schema.regions).values({ id: EXA.regionId, name: "示例A统筹区", nameEn: "Example A region", definitionSetId: "demo", settlementDay: 5 }),
    db.insert(schema.hospitals).values([
      { id: "EA1", regionId: EXA.regionId, name: "=HYPERLINK(\"http://x\")", nameEn: "H1 tertiary", level: "tertiary" },
      { id: "EA2", regionId: EXA.regionId, name: "乙医院", nameEn: "H2 secondary", level: "secondary" },
    ]),
    db.insert(schema.parameterSets).values({
      regionId: EXA.regionId,
      year: 2026,
      version: 1,
      params: defaultParameters({ year: 2026, region: EXA.regionId, monthlyDrgBudgets: { "2026-10": 6_000_000 } }) as unknown as Record<string, unknown>,
    }),
    db.insert(schema.weightTables).values({ regionId: EXA.regionId, year: 2026, avgAllCostFen: 1_000_000, version: "example-a" }),
    db.insert(schema.drgWeights).values(EXAMPLE_A_WEIGHTS.map((w) => ({ regionId: EXA.regionId, year: 2026, avgLosTenths: 80, ...w }))),
    db.insert(schema.apiKeys).values([
      { id: "exa-agency", keyHash: await hashKey(EXA.keys.agency), prefix: keyPrefix(EXA.keys.agency), role: "agency", regionId: EXA.regionId, label: "exa agency" },
      { id: "exa-h1", keyHash: await hashKey(EXA.keys.h1), prefix: keyPrefix(EXA.keys.h1), role: "hospital", regionId: EXA.regionId, hospitalId: "EA1", label: "exa H1" },
      { id: "exa-h2", keyHash: await hashKey(EXA.keys.h2), prefix: keyPrefix(EXA.keys.h2), role: "hospital", regionId: EXA.regionId, hospitalId: "EA2", label: "exa H2" },
    ]),
  ]);
}

export interface RunBody {
  id: string;
  status: string;
  progress: { episodesDone: number; episodesTotal: number };
  inputHash: string | null;
  outputHash: string | null;
  parameterSetId: number | null;
  definitionSetId: string | null;
  definitionVersion: string | null;
  totals: Record<string, unknown> & { budgetFen: number; pointValue: string; totalPoints: string; drg: { fundFen: number; depositFen: number; paidNowFen: number }; perDiem: { standardFen: number; fundFen: number }; netPayableFen: number };
  error: string | null;
}

/** Starts a run through the API and drives its Workflow to the end (introspection), then reads it back. */
export async function settle(key: string, regionId: string, period: string, modify?: Parameters<Awaited<ReturnType<typeof introspectWorkflow>>["modifyAll"]>[0], now?: string): Promise<RunBody> {
  const introspector = await introspectWorkflow(env.SETTLEMENT_RUN);
  try {
    if (modify) await introspector.modifyAll(modify);
    const res = await call("POST", "/v1/settlements", { key, json: { regionId, period }, ...(now ? { headers: { [NOW_HEADER]: now } } : {}) });
    const text = await res.text();
    expect(res.status, text).toBe(202);
    const started = JSON.parse(text) as RunBody;
    for (const instance of await introspector.get()) await instance.waitForStatus("complete");
    const read = await call("GET", `/v1/settlements/${started.id}`, { key });
    return (await read.json()) as RunBody;
  } finally {
    await introspector.dispose();
  }
}

const yuan = (y: number) => y * 100;

/**
 * RULES.md worked example A (month 2026-10) as claims of the example region:
 * A = EW15, B = FV15, C = HR15, and an ungroupable case (no sex on a prostate
 * diagnosis). `prefix` keeps the claim ids of different tests apart.
 */
export function exampleAClaims(prefix: string) {
  return [
    claim({ claimId: `${prefix}1`, hospitalId: "EA1", personId: "Q1", principalDx: "J18.900", secondaryDx: ["K29.700"], totalCostFen: yuan(12_000), patientPaidFen: yuan(3_000) }),
    claim({ claimId: `${prefix}2`, hospitalId: "EA1", personId: "Q2", principalDx: "C22.000", secondaryDx: [], totalCostFen: yuan(80_000), patientPaidFen: yuan(20_000) }),
    claim({ claimId: `${prefix}3`, hospitalId: "EA1", personId: "Q3", principalDx: "I10.x00", secondaryDx: [], totalCostFen: yuan(1_500), patientPaidFen: yuan(500) }),
    claim({ claimId: `${prefix}4`, hospitalId: "EA2", personId: "Q4", principalDx: "J18.900", secondaryDx: ["K29.700"], totalCostFen: yuan(10_000), patientPaidFen: yuan(2_500) }),
    claim({ claimId: `${prefix}5`, hospitalId: "EA2", personId: "Q5", principalDx: "I10.x00", secondaryDx: [], totalCostFen: yuan(6_000), patientPaidFen: yuan(1_200) }),
    claim({ claimId: `${prefix}6`, hospitalId: "EA2", personId: "Q6", principalDx: "N40.x00", secondaryDx: [], sex: undefined, totalCostFen: yuan(9_000), patientPaidFen: yuan(2_000) }),
  ];
}
