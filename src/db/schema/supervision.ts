/**
 * The agency's monthly review (RULES.md §7, §8): special-case review requests,
 * supervision flags, confirmed violations, appeals, and which of these
 * decisions each settlement run applied. Decision rows carry a `version`
 * bumped on every change (decision, appeal reversal), so a run names exactly
 * the decision state it priced with.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { hospitals } from "./providers";
import { regionRef } from "./regions";
import { settlementRuns } from "./settlement";

const hospitalRef = () =>
  text("hospital_id")
    .notNull()
    .references(() => hospitals.id);

export const reviewStatuses = ["open", "withdrawn", "accepted", "rejected", "refused"] as const;

/** A hospital's request for special-case review (特例单议) of one of its DRG-paid episodes. */
export const specialReviews = sqliteTable(
  "special_reviews",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    hospitalId: hospitalRef(),
    claimId: text("claim_id").notNull(),
    /** The episode's settlement (discharge) month: the month whose cap it counts against. */
    month: text("month").notNull(),
    reason: text("reason").notNull(),
    claimedFen: integer("claimed_fen").notNull(),
    status: text("status", { enum: reviewStatuses }).notNull(),
    approvedFen: integer("approved_fen"),
    decisionReason: text("decision_reason"),
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // §7: one open or accepted request per episode.
    uniqueIndex("special_reviews_one_live").on(t.regionId, t.claimId).where(sql`status in ('open', 'accepted')`),
    index("special_reviews_month").on(t.regionId, t.month, t.hospitalId, t.status),
  ],
);

export const flagStatuses = ["open", "confirmed", "dismissed"] as const;

/** A supervision screen's flag (§8): an episode (or, for the severity-share signal, a hospital's ADRG) in the review queue. */
export const supervisionFlags = sqliteTable(
  "supervision_flags",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    hospitalId: hospitalRef(),
    claimId: text("claim_id"),
    month: text("month").notNull(),
    rule: text("rule").notNull(),
    /** The claim id, or `adrg:<code>` for the hospital-level signal: one flag per rule and subject per month. */
    subject: text("subject").notNull(),
    parameters: text("parameters", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    evidence: text("evidence", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    status: text("status", { enum: flagStatuses }).notNull().default("open"),
    /** Where it was raised first: `ingestion` or `run <id>`. */
    source: text("source").notNull(),
    decisionReason: text("decision_reason"),
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("supervision_flags_subject").on(t.regionId, t.month, t.rule, t.subject),
    index("supervision_flags_queue").on(t.regionId, t.month, t.hospitalId, t.rule, t.status),
  ],
);

export const violationStatuses = ["confirmed", "reversed"] as const;

/** A confirmed violation (§8) of one episode, from a flag or on the agency's own finding. */
export const violations = sqliteTable(
  "violations",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    hospitalId: hospitalRef(),
    claimId: text("claim_id").notNull(),
    month: text("month").notNull(),
    flagId: text("flag_id").references(() => supervisionFlags.id),
    kind: text("kind").notNull(),
    serious: integer("serious", { mode: "boolean" }).notNull().default(false),
    correctedDrg: text("corrected_drg"),
    reason: text("reason").notNull(),
    status: text("status", { enum: violationStatuses }).notNull(),
    version: integer("version").notNull().default(1),
    decidedBy: text("decided_by").notNull(),
    decidedAt: text("decided_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("violations_one_confirmed").on(t.regionId, t.claimId).where(sql`status = 'confirmed'`),
    index("violations_month").on(t.regionId, t.month, t.hospitalId),
  ],
);

export const appealSubjects = ["violation", "review"] as const;
export const appealStatuses = ["open", "upheld", "reversed"] as const;

/** A hospital's appeal (申诉) against a confirmed violation or a rejected or refused review; one per decision. */
export const appeals = sqliteTable(
  "appeals",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    hospitalId: hospitalRef(),
    subjectKind: text("subject_kind", { enum: appealSubjects }).notNull(),
    subjectId: text("subject_id").notNull(),
    evidence: text("evidence").notNull(),
    files: text("files", { mode: "json" }).notNull().$type<string[]>(),
    status: text("status", { enum: appealStatuses }).notNull(),
    approvedFen: integer("approved_fen"),
    decisionReason: text("decision_reason"),
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("appeals_one_per_decision").on(t.subjectKind, t.subjectId), index("appeals_region").on(t.regionId, t.status)],
);

export const decisionModes = ["in-month", "adjustment"] as const;

/** The decisions a settlement run applied, per episode, fixed at its snapshot; `pointsDelta` is what they changed. */
export const runDecisions = sqliteTable(
  "run_decisions",
  {
    runId: text("run_id")
      .notNull()
      .references(() => settlementRuns.id),
    claimId: text("claim_id").notNull(),
    hospitalId: text("hospital_id").notNull(),
    /** The episode's own month. */
    month: text("month").notNull(),
    mode: text("mode", { enum: decisionModes }).notNull(),
    decisions: text("decisions", { mode: "json" }).notNull().$type<AppliedDecisions>(),
    /** Points (1/10000) the decisions moved for the hospital: episode change minus deduction; for an adjustment, what this run carries. */
    pointsDelta: integer("points_delta"),
  },
  (t) => [primaryKey({ columns: [t.runId, t.claimId] })],
);

/** The decision state of one episode as a run applied it. */
export interface AppliedDecisions {
  review?: { id: string; version: number; approvedFen: number };
  violation?: { id: string; version: number; kind: string; serious: boolean; correctedDrg: string | null };
}
