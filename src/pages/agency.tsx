/** The agency's morning overview: every budget account of the region with its warning, and the settlement runs with progress. */
import type { AccountView } from "../budgets/account-view";
import type { settlementRuns } from "../db/schema";
import { formatYuan } from "../payment";
import { WarningBadge } from "./consortium";
import { Layout, type PageContext } from "./layout";

export interface AccountRow {
  view: AccountView;
  holderName: string;
}

/** Open items of the agency's monthly review (RULES.md §7, §8) by month: review requests and flags by rule. */
export interface QueueRow {
  month: string;
  kind: "review" | string;
  count: number;
}

export function AgencyPage(props: { ctx: PageContext; year: number; asOf: string; accounts: AccountRow[]; runs: (typeof settlementRuns.$inferSelect)[]; queue: QueueRow[] }) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("agencyOverview")}>
      <h1>{t("agencyOverview")}</h1>
      <p class="muted">
        {t("year")} {props.year} · {t("asOf")} {props.asOf}
      </p>
      <section class="card">
        <h2>{t("accounts")}</h2>
        <table data-testid="accounts">
          <thead>
            <tr>
              <th>{t("holder")}</th>
              <th>{t("kind")}</th>
              <th class="num">{t("entitlement")}</th>
              <th class="num">{t("spent")}</th>
              <th class="num">{t("executionRate")}</th>
              <th class="num">{t("timeProgress")}</th>
              <th>{t("warning")}</th>
            </tr>
          </thead>
          <tbody>
            {props.accounts.map(({ view, holderName }) => {
              const kind = view.account.kind;
              const href = `/app/${kind}/${view.account.holderId}?year=${view.account.year}&asOf=${props.asOf}`;
              return (
                <tr data-account={view.account.id}>
                  <td>
                    <a href={href}>{holderName}</a> <span class="muted">{view.account.holderId}</span>
                  </td>
                  <td>{t(kind === "consortium" ? "kindConsortium" : "kindCapitation")}</td>
                  <td class="num" data-fen={String(view.entitlement.amount)}>
                    {view.entitlement.source === "unset" ? "—" : formatYuan(view.entitlement.amount)}
                  </td>
                  <td class="num" data-fen={String(view.spending.total)}>
                    {formatYuan(view.spending.total)}
                  </td>
                  <td class="num">{view.warning.executionRate}</td>
                  <td class="num">{view.warning.timeProgress}</td>
                  <td>
                    <WarningBadge status={view.warning.status} label={t(view.warning.status)} testid={`status-${view.account.id}`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section class="card" style="margin-top:1rem">
        <h2>{t("reviewQueue")}</h2>
        {props.queue.length === 0 ? (
          <p class="muted" data-testid="queue-none">
            {t("noQueue")}
          </p>
        ) : (
          <table data-testid="review-queue">
            <thead>
              <tr>
                <th>{t("period")}</th>
                <th>{t("rule")}</th>
                <th class="num">{t("count")}</th>
              </tr>
            </thead>
            <tbody>
              {props.queue.map((q) => (
                <tr data-queue={`${q.month} ${q.kind}`}>
                  <td>{q.month}</td>
                  <td>{q.kind === "review" ? t("openReviews") : `${t("openFlags")}: ${q.kind}`}</td>
                  <td class="num">{q.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" style="margin-top:1rem">
        <h2>{t("settlementRuns")}</h2>
        {props.runs.length === 0 ? (
          <p class="muted" data-testid="runs-none">
            {t("noRuns")}
          </p>
        ) : (
          <table data-testid="runs">
            <thead>
              <tr>
                <th>{t("period")}</th>
                <th>{t("status")}</th>
                <th>{t("progress")}</th>
                <th>{t("created")}</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((run) => (
                <tr data-run={run.id}>
                  <td>{run.period}</td>
                  <td>{run.status}</td>
                  <td>
                    <progress max={Math.max(run.episodesTotal, 1)} value={run.episodesDone}></progress> {run.episodesDone}/{run.episodesTotal}
                  </td>
                  <td class="muted">{run.createdAt.slice(0, 16).replace("T", " ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
