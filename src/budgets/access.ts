/** Who may see a budget account (tenancy rules of src/auth/tenancy.ts): the API and the pages share this. */
import type { Principal } from "../auth/principal";
import { visibleConsortium, visibleHospital } from "../auth/tenancy";
import type { Database } from "../db/client";
import { DomainError } from "../payment/errors";
import type { AccountKind } from "../payment/vocabulary";
import { requireAccount } from "./store";

/** The capitation contractor if the principal may see its account: the hospital itself or the agency of its region. */
export async function visibleContractor(db: Database, p: Principal, hospitalId: string) {
  if (p.role === "consortium") throw new DomainError("forbidden", "Capitation accounts are for the agency or the contractor hospital.");
  return visibleHospital(db, p, hospitalId);
}

/** The account of a holder-year if the principal may see it; another tenant's holder answers 404 like a missing one. */
export async function visibleAccount(db: Database, p: Principal, kind: AccountKind, holderId: string, year: number) {
  if (kind === "consortium") {
    if (p.role === "hospital") throw new DomainError("forbidden", "Consortium budgets are for the agency or the consortium.");
    await visibleConsortium(db, p, holderId);
  } else await visibleContractor(db, p, holderId);
  return requireAccount(db, kind, holderId, year);
}
