/**
 * A settlement run as a Cloudflare Workflow: durable steps, each retried on
 * failure, passing ids and small summaries (never claim data) between steps:
 *
 * 1. snapshot — fix the inputs (claim watermark, parameter set, weights,
 *    grouping set), hash them, cut the month into person ranges;
 * 2. price i — price one person range (pricing.ts), write its episode rows,
 *    update progress (episodes done of total) and return the rows' hash and
 *    count, so progress is cumulative and a retried step writes the same;
 * 3. decisions — the agency's §7/§8 decisions on episodes of approved months,
 *    carried as adjustments (the in-month ones were priced in step 2, both
 *    fixed at the snapshot), and the month-level severity-share screen;
 * 4. allocate — aggregate per hospital and run the month's pre-settlement;
 * 5. statements — write the statement lines and flip the run to `completed`
 *    in one atomic batch, so no reader ever sees half a result (statements
 *    are served only for completed or approved runs).
 *
 * A step that still fails after its retries ends the run `failed` with the
 * reason; input and rule errors do not retry (NonRetryableError).
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { NonRetryableError } from "cloudflare:workflows";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, type Database } from "../db/client";
import { insertStatements, runBatch } from "../db/bulk";
import { asD1Statement, literalInsertStatements } from "../db/literal-insert";
import { runDecisions, settlementEpisodes, settlementLines, settlementRuns } from "../db/schema";
import type { Bindings } from "../env";
import { PaymentRuleError } from "../payment";
import { contentHash } from "../util/content-hash";
import type { PaymentClass } from "../payment/vocabulary";
import { priceChunk, type PricedRow } from "./pricing";
import { claimWatermark, loadChunkClaims, loadRunRules, RunInputError, snapshotRun, type RunRules, type RunSnapshot } from "./run-inputs";
import { adjustmentRows, decisionDeltas, fixRunDecisions, inMonthDecisions, recordDeltas } from "../supervision/run-decisions";
import { flagStatements, screenClaims, screenMonthSeverity } from "../supervision/screening";
import { buildStatements, type ClassAggregate, type FlagAggregate } from "./statements";

export interface SettlementRunParams {
  runId: string;
}

/** Month claims per pricing step: bounded memory and step time, well under 1,024 steps for a million episodes. */
export const EPISODES_PER_STEP = 5_000;

const RETRY = { retries: { limit: 2, delay: "1 second" as const, backoff: "constant" as const }, timeout: "5 minutes" as const };

export class SettlementRunWorkflow extends WorkflowEntrypoint<Bindings, SettlementRunParams> {
  async run(event: WorkflowEvent<SettlementRunParams>, step: WorkflowStep) {
    const { runId } = event.payload;
    const db = openDatabase(this.env.DB);
    try {
      const snap = await step.do("snapshot", RETRY, () => fatalOnInput(() => snapshotStep(db, runId)));
      if (!snap) return { runId, status: "skipped" };
      const chunkHashes: string[] = [];
      let done = 0;
      for (let i = 0; i < snap.ranges.length; i++) {
        const doneBefore = done;
        const priced = await step.do(`price ${i + 1}/${snap.ranges.length}`, RETRY, () => fatalOnInput(() => priceStep(db, runId, snap, i, doneBefore)));
        chunkHashes.push(priced.hash);
        done += priced.episodes;
      }
      chunkHashes.push(await step.do("decisions", RETRY, () => fatalOnInput(() => decisionsStep(db, runId, snap))));
      const allocation = await step.do("allocate", RETRY, () => fatalOnInput(() => allocateStep(db, runId, snap)));
      await step.do("statements", RETRY, () => statementsStep(db, runId, snap, allocation, chunkHashes));
      return { runId, status: "completed" };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await step.do("record failure", RETRY, async () => {
        await db
          .update(settlementRuns)
          .set({ status: "failed", error: reason.slice(0, 2000), completedAt: new Date().toISOString() })
          .where(and(eq(settlementRuns.id, runId), eq(settlementRuns.status, "running")));
        return reason;
      });
      return { runId, status: "failed", reason };
    }
  }
}

async function fatalOnInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RunInputError) throw new NonRetryableError(err.message);
    if (err instanceof PaymentRuleError) throw new NonRetryableError(err.message);
    throw err;
  }
}

interface Snapshot {
  regionId: string;
  period: string;
  watermark: number;
  ranges: RunSnapshot["ranges"];
  contextFrom: string;
  episodesTotal: number;
  inputHash: string;
  parameterSetId: number;
  rulesHash: string;
}

async function rulesOf(db: Database, snap: Pick<Snapshot, "regionId" | "period" | "parameterSetId" | "rulesHash">): Promise<RunRules> {
  const rules = await loadRunRules(db, snap.regionId, snap.period, snap.parameterSetId);
  if (rulesHashOf(rules) !== snap.rulesHash) throw new RunInputError("run-inputs-changed", "the weights, hospitals or grouping set changed while the run was in progress; start a new run");
  return rules;
}

const rulesHashOf = (r: RunRules) => contentHash({ ...r, hospitals: [...r.hospitals] });

async function snapshotStep(db: Database, runId: string): Promise<Snapshot | null> {
  const run = await db.query.settlementRuns.findFirst({ where: eq(settlementRuns.id, runId) });
  if (!run || run.status !== "running") return null;
  const rules = await loadRunRules(db, run.regionId, run.period);
  const decisions = await fixRunDecisions(db, runId, run.regionId, run.period);
  const snapshot = await snapshotRun(db, run.regionId, run.period, rules, await claimWatermark(db), EPISODES_PER_STEP, decisions.hash);
  await db
    .update(settlementRuns)
    .set({
      parameterSetId: rules.parameterSetId,
      definitionSetId: rules.definitionSetId,
      definitionVersion: rules.definitionVersion,
      inputHash: snapshot.inputHash,
      episodesTotal: snapshot.episodesTotal,
      episodesDone: 0,
    })
    .where(eq(settlementRuns.id, runId));
  return { regionId: run.regionId, period: run.period, parameterSetId: rules.parameterSetId, rulesHash: rulesHashOf(rules), ...snapshot };
}

async function priceStep(db: Database, runId: string, snap: Snapshot, i: number, doneBefore: number): Promise<{ hash: string; episodes: number }> {
  const rules = await rulesOf(db, snap);
  const { claims: month, context } = await loadChunkClaims(db, snap.regionId, snap.period, snap.contextFrom, snap.watermark, snap.ranges[i]!);
  const decisions = await inMonthDecisions(db, runId);
  const rows = priceChunk({ period: snap.period, parameters: rules.parameters, weights: rules.weights, hospitals: rules.hospitals, claims: month, context, decisions });
  const values = rows.map((r) => ({ runId, step: i, ...r }));
  // §8: the screens run again in each run; their flags go to the review queue and move no money.
  const flags = screenClaims({ parameters: rules.parameters, weights: rules.weights, definitionSetId: rules.definitionSetId, claims: month, context });
  const deltas = decisionDeltas(rows, new Map(month.map((c) => [c.id, c.claimId])));
  // A retried step may find its rows already written: the same inputs give the same rows under the same keys, so
  // conflicts are skipped, and progress is cumulative (idempotent), written in the same atomic batch.
  const inserts = literalInsertStatements(db, settlementEpisodes, values, { orIgnore: true });
  const progress = db
    .update(settlementRuns)
    .set({ episodesDone: sql`max(${settlementRuns.episodesDone}, ${doneBefore + month.length})` })
    .where(eq(settlementRuns.id, runId));
  await db.$client.batch([...inserts, ...flagStatements(db, snap.regionId, flags, `run ${runId}`), ...recordDeltas(db, runId, deltas).map((q) => asD1Statement(db, q)), asD1Statement(db, progress)]);
  return { hash: contentHash(rows.map(paymentOf)), episodes: month.length };
}

/**
 * Decisions on episodes of approved months, carried into this month as adjustment rows (supervision/run-decisions.ts),
 * and the month-level severity-share signal. Written under a step number after the pricing steps; a retry rewrites the same.
 */
async function decisionsStep(db: Database, runId: string, snap: Snapshot): Promise<string> {
  const rules = await rulesOf(db, snap);
  const fixed = await db.select().from(runDecisions).where(eq(runDecisions.runId, runId));
  const { priced, deltas } = await adjustmentRows(db, snap.regionId, fixed, snap.ranges.length);
  const signal = await screenMonthSeverity(db, snap.regionId, snap.period, rules.parameters, snap.watermark);
  const inserts = literalInsertStatements(db, settlementEpisodes, priced.map((r) => ({ runId, ...r })), { orIgnore: true });
  const statements = [...inserts, ...flagStatements(db, snap.regionId, signal, `run ${runId}`), ...recordDeltas(db, runId, deltas).map((q) => asD1Statement(db, q))];
  if (statements.length > 0) await db.$client.batch(statements);
  return contentHash(priced.map(paymentOf));
}

/**
 * What a run's output hash certifies of an episode: who is paid what and why it is flagged. The explanation
 * is derived from the same inputs and rules (both in the input hash); hashing its text as well tripled the
 * cost of a pricing step and would make a rewording look like a different payment.
 */
const paymentOf = (r: PricedRow) => [r.claimRowId, r.hospitalId, r.paymentClass, r.points, r.amountFen, r.flags];

async function allocateStep(db: Database, runId: string, snap: Snapshot) {
  const rules = await rulesOf(db, snap);
  const classes = await db
    .select({
      hospitalId: settlementEpisodes.hospitalId,
      paymentClass: sql<PaymentClass>`${settlementEpisodes.paymentClass}`,
      episodes: sql<number>`count(*)`,
      points: sql<number>`coalesce(sum(${settlementEpisodes.points}), 0)`,
      amountFen: sql<number>`coalesce(sum(${settlementEpisodes.amountFen}), 0)`,
      patientPaidFen: sql<number>`coalesce(sum(${settlementEpisodes.patientPaidFen}), 0)`,
    })
    .from(settlementEpisodes)
    .where(eq(settlementEpisodes.runId, runId))
    .groupBy(settlementEpisodes.hospitalId, settlementEpisodes.paymentClass)
    .orderBy(settlementEpisodes.hospitalId, settlementEpisodes.paymentClass);
  const flags = (await db.all<FlagAggregate>(
    sql`select e.hospital_id as hospitalId, f.value as flag, count(*) as episodes from ${settlementEpisodes} e, json_each(e.flags) f where e.run_id = ${runId} group by 1, 2 order by 1, 2`,
  )) as FlagAggregate[];
  const { lines, totals } = buildStatements({ period: snap.period, budgetFen: rules.budgetFen, depositRate: rules.parameters.drg.depositRate, classes: classes as ClassAggregate[], flags });
  return { lines, totals };
}

async function statementsStep(db: Database, runId: string, snap: Snapshot, allocation: Awaited<ReturnType<typeof allocateStep>>, chunkHashes: string[]) {
  // A replayed step after completion (or approval) must not touch the frozen lines.
  const run = await db.query.settlementRuns.findFirst({ where: eq(settlementRuns.id, runId) });
  if (run?.status !== "running") return run?.outputHash ?? null;
  const outputHash = contentHash({ lines: allocation.lines, totals: allocation.totals, episodes: chunkHashes });
  const totals: Record<string, unknown> = { ...allocation.totals, claimWatermark: snap.watermark };
  await runBatch(db, [
    db.delete(settlementLines).where(eq(settlementLines.runId, runId)),
    ...insertStatements(
      db,
      settlementLines,
      allocation.lines.map((l) => ({ runId, ...l })),
    ),
    db
      .update(settlementRuns)
      .set({ status: "completed", outputHash, totals, completedAt: new Date().toISOString(), episodesDone: snap.episodesTotal })
      .where(and(eq(settlementRuns.id, runId), eq(settlementRuns.status, "running"))),
  ]);
  return outputHash;
}
