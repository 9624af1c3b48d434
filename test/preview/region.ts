import { env } from "cloudflare:test";
import { hashKey, keyPrefix } from "../../src/auth/keys";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { defaultParameters } from "../../src/payment/parameters";

/*
 * A test region shaped like RULES.md worked example A: DRGs A/B/C mapped onto
 * demo-set DRGs that plain episodes group to, avgAll 10,000 yuan, H1 tertiary
 * and H2 secondary.
 */
export const yuan = (y: number) => Math.round(y * 100);

/** Example A's DRGs as the demo set groups them. */
export const DRG = { A: "EW15", B: "ET15", C: "ES15" } as const;

/** Episodes (GROUPER.md fields) that group to A, B, C and the ungroupable group with the demo set. */
export const EPISODE = {
  A: { sex: "M", ageYears: 60, losDays: 8, principalDx: "J18.900" }, // pneumonia, no CC → EW15
  B: { sex: "F", ageYears: 70, losDays: 6, principalDx: "J44.100" }, // COPD, no CC → ET15
  C: { sex: "F", ageYears: 55, losDays: 12, principalDx: "I26.900" }, // pulmonary embolism, no CC → ES15
  QY: { sex: "M", ageYears: 40, losDays: 5, principalDx: "Z99.999" }, // unknown principal → 0000
} as const;

export interface TestRegion {
  regionId: string;
  h1: string;
  h2: string;
  keys: { agency: string; h1: string; h2: string; consortium: string };
}

export async function seedExampleRegion(regionId: string, opts: { settled?: { period: string; poolFen: number; totalPoints: string } } = {}): Promise<TestRegion> {
  const db = openDatabase(env.DB);
  const r: TestRegion = {
    regionId,
    h1: `${regionId}-H1`,
    h2: `${regionId}-H2`,
    keys: {
      agency: `mp_agency_${regionId}_test_key_000000001`,
      h1: `mp_hospital_${regionId}_test_key_0000000h1`,
      h2: `mp_hospital_${regionId}_test_key_0000000h2`,
      consortium: `mp_consortium_${regionId}_test_key_00000c`,
    },
  };
  const key = async (id: string, k: string, role: "agency" | "hospital" | "consortium", extra: { hospitalId?: string; consortiumId?: string } = {}) => ({
    id,
    keyHash: await hashKey(k),
    prefix: keyPrefix(k),
    role,
    regionId,
    label: id,
    ...extra,
  });
  const weight = (drg: string, adrg: string, rw: number, avg: number, los: number) => ({ regionId, year: 2026, drg, adrg, rw, avgCostFen: yuan(avg), avgLosTenths: los });
  await db.batch([
    db.insert(schema.regions).values({ id: regionId, name: `测试${regionId}`, nameEn: `Test ${regionId}`, definitionSetId: "demo" }),
    db.insert(schema.hospitals).values([
      { id: r.h1, regionId, name: "一号医院", nameEn: "Hospital 1", level: "tertiary" },
      { id: r.h2, regionId, name: "二号医院", nameEn: "Hospital 2", level: "secondary" },
    ]),
    db.insert(schema.consortia).values({ id: `${regionId}-C1`, regionId, name: "医共体", nameEn: "Consortium", catchmentPopulation: 1000 }),
    db.insert(schema.apiKeys).values([
      await key(`${regionId}-agency`, r.keys.agency, "agency"),
      await key(`${regionId}-h1`, r.keys.h1, "hospital", { hospitalId: r.h1 }),
      await key(`${regionId}-h2`, r.keys.h2, "hospital", { hospitalId: r.h2 }),
      await key(`${regionId}-c1`, r.keys.consortium, "consortium", { consortiumId: `${regionId}-C1` }),
    ]),
    db.insert(schema.parameterSets).values({
      regionId,
      year: 2026,
      version: 1,
      params: defaultParameters({ year: 2026, region: regionId, monthlyDrgBudget: yuan(60_000) }) as unknown as Record<string, unknown>,
      createdBy: "test",
    }),
    db.insert(schema.weightTables).values({ regionId, year: 2026, avgAllCostFen: yuan(10_000), version: "example-a" }),
    db.insert(schema.drgWeights).values([
      weight(DRG.A, "EW1", 12_000, 12_000, 85),
      weight(DRG.B, "ET1", 5_000, 5_000, 62),
      weight(DRG.C, "ES1", 25_000, 25_000, 121),
      weight("EW11", "EW1", 20_000, 20_000, 110),
      weight("EW13", "EW1", 15_000, 15_000, 95),
    ]),
  ]);
  if (opts.settled) {
    await db.insert(schema.settlementRuns).values({
      id: `${regionId}-run-1`,
      regionId,
      period: opts.settled.period,
      status: "approved",
      episodesTotal: 6,
      // The shape a completed run stores (src/settlement/statements.ts RunTotals).
      totals: { poolFen: opts.settled.poolFen, totalPoints: opts.settled.totalPoints, pointValue: "(display)" },
      completedAt: new Date().toISOString(),
    });
  }
  return r;
}
