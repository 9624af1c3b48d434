import { env } from "cloudflare:test";
import { hashKey, keyPrefix } from "../../src/auth/keys";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";

/** A second region with its own agency, hospital and consortium, to prove tenants never meet. */
export const OTHER = {
  regionId: "other",
  hospitalId: "X01",
  consortiumId: "XC1",
  keys: {
    agency: "mp_agency_test_other_region_key_0001",
    hospital: "mp_hospital_test_other_region_key_0002",
    consortium: "mp_consortium_test_other_region_key_0003",
  },
} as const;

export async function seedOtherRegion(): Promise<void> {
  const db = openDatabase(env.DB);
  const existing = await db.query.regions.findFirst({ where: (r, { eq }) => eq(r.id, OTHER.regionId) });
  if (existing) return;
  await db.batch([
    db.insert(schema.regions).values({ id: OTHER.regionId, name: "其他统筹区", nameEn: "Other region", definitionSetId: "demo" }),
    db.insert(schema.hospitals).values({ id: OTHER.hospitalId, regionId: OTHER.regionId, name: "其他医院", nameEn: "Other hospital", level: "secondary" }),
    db.insert(schema.consortia).values({ id: OTHER.consortiumId, regionId: OTHER.regionId, name: "其他医共体", nameEn: "Other consortium", catchmentPopulation: 1000 }),
    db.insert(schema.consortiumMembers).values({ consortiumId: OTHER.consortiumId, hospitalId: OTHER.hospitalId }),
    db.insert(schema.apiKeys).values([
      { id: "other-agency", keyHash: await hashKey(OTHER.keys.agency), prefix: keyPrefix(OTHER.keys.agency), role: "agency", regionId: OTHER.regionId, label: "other agency" },
      { id: "other-hospital", keyHash: await hashKey(OTHER.keys.hospital), prefix: keyPrefix(OTHER.keys.hospital), role: "hospital", regionId: OTHER.regionId, hospitalId: OTHER.hospitalId, label: "other hospital" },
      { id: "other-consortium", keyHash: await hashKey(OTHER.keys.consortium), prefix: keyPrefix(OTHER.keys.consortium), role: "consortium", regionId: OTHER.regionId, consortiumId: OTHER.consortiumId, label: "other consortium" },
    ]),
  ]);
}
