import type { apiKeys } from "../db/schema";

export type Role = (typeof apiKeys.$inferSelect)["role"];

/** Who is calling: the role of their key and the tenant it belongs to. */
export interface Principal {
  keyId: string;
  role: Role;
  regionId: string;
  hospitalId: string | null;
  consortiumId: string | null;
}

/** The tenant id a principal acts for: its hospital, consortium, or region. */
export function tenantOf(p: Principal): string {
  return p.hospitalId ?? p.consortiumId ?? p.regionId;
}
