/**
 * The budget page of one account (consortium or capitation contractor): the
 * same AccountView the API returns, rendered. Every amount carries its fen in
 * `data-fen` so that a browser test can compare the page with the API exactly.
 */
import type { AccountView } from "../budgets/account-view";
import { formatYuan, type Fen } from "../payment";
import type { TextKey } from "./i18n";
import { Layout, type PageContext } from "./layout";

function Money(props: { fen: Fen; testid?: string }) {
  return (
    <span data-testid={props.testid} data-fen={String(props.fen)}>
      {formatYuan(props.fen)}
    </span>
  );
}

function Kpi(props: { label: string; fen: Fen; testid: string; note?: string }) {
  return (
    <div class="kpi">
      <div class="label">{props.label}</div>
      <div class="value">
        <Money fen={props.fen} testid={props.testid} />
      </div>
      {props.note ? <div class="note">{props.note}</div> : null}
    </div>
  );
}

export function WarningBadge(props: { status: "green" | "yellow" | "red"; label: string; testid?: string }) {
  return (
    <span class={`badge ${props.status}`} data-testid={props.testid ?? "warning-badge"} data-status={props.status}>
      {props.label}
    </span>
  );
}

/** The clearing at the run-rate projection: what the year will probably bring if nothing changes. */
type MoneyRow = [label: TextKey, fen: Fen, testid: string];

/** Label / amount rows of an outcome table. */
function MoneyRows(props: { ctx: PageContext; rows: MoneyRow[] }) {
  const { t } = props.ctx;
  return (
    <>
      {props.rows.map(([label, fen, testid]) => (
        <tr>
          <td>{t(label)}</td>
          <td class="num">
            <Money fen={fen} testid={testid} />
          </td>
        </tr>
      ))}
    </>
  );
}

function ProjectedOutcome(props: { ctx: PageContext; outcome: NonNullable<AccountView["outcomeProjected"]> }) {
  const { t } = props.ctx;
  const o = props.outcome;
  const lines: MoneyRow[] =
    o.outcome === "surplus"
      ? [["retained", o.retained, "projected-retained"]]
      : [
          ["overspendAmount", o.overspend, "projected-overspend"],
          ["fundShare", o.fundShare, "projected-fund-share"],
        ];
  return (
    <div data-testid="outcome-projected" data-outcome={o.outcome} style="margin-top:1.2rem">
      <h2>{t("outcomeProjected")}</h2>
      <p>
        <strong>{t(o.outcome === "surplus" ? "surplus" : "overspend")}</strong>
      </p>
      <table>
        <tbody>
          <MoneyRows
            ctx={props.ctx}
            rows={[...lines, ["holderTotal", o.holderTotal, "projected-holder-total"], ["clearingPayment", o.clearingPayment, "projected-clearing-payment"]]}
          />
        </tbody>
      </table>
    </div>
  );
}

const percentOf = (part: Fen, whole: Fen) => (whole === 0 ? "—" : `${((part * 100) / whole).toFixed(1)}%`);

/** Spending by hospital (members, or outflow destinations), each with its share of `whole`. */
function HospitalSpendingTable(props: {
  ctx: PageContext;
  rows: AccountView["spending"]["byInternalHospital"];
  whole: Fen;
  names: Map<string, string>;
  tableTestid: string;
  cellTestid: string;
}) {
  const { t } = props.ctx;
  return (
    <table data-testid={props.tableTestid}>
      <thead>
        <tr>
          <th>{t("hospital")}</th>
          <th class="num">{t("claims")}</th>
          <th class="num">{t("fundValue")}</th>
          <th class="num">{t("share")}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((h) => (
          <tr data-hospital={h.hospitalId}>
            <td>
              {props.names.get(h.hospitalId) ?? h.hospitalId} <span class="muted">{h.hospitalId}</span>
            </td>
            <td class="num">{h.claims}</td>
            <td class="num">
              <Money fen={h.fundValue} testid={`${props.cellTestid}-${h.hospitalId}`} />
            </td>
            <td class="num">{percentOf(h.fundValue, props.whole)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** JSON for a <script type="application/json"> block: `<` escaped so no value can close the tag. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll("<", "\\u003c");

export function AccountPage(props: { ctx: PageContext; view: AccountView; holderName: string; hospitalNames: Map<string, string> }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const w = view.warning;
  const o = view.outcomeToday;
  const title = `${props.holderName} · ${t(view.account.kind === "consortium" ? "consortiumBudget" : "capitationBudget")}`;
  const chart = {
    labels: view.chart.months.map((m) => (ctx.lang === "zh" ? `${Number(m.slice(5))}月` : m)),
    series: { month: t("month"), spending: t("seriesSpending"), budget: t("seriesBudget"), projection: t("seriesProjection"), unit: t("yuanUnit") },
    // Display only: the chart draws yuan; the fen figures are in the tables and KPIs.
    spending: view.chart.spending.map((v) => (v === null ? null : v / 100)),
    budget: view.chart.budgetLine.map((v) => v / 100),
    projection: view.chart.projection.map((v) => (v === null ? null : v / 100)),
  };
  return (
    <Layout ctx={ctx} title={title} scripts={["/app/assets/uplot.js", "/app/assets/budget-chart.js"]}>
      <h1>
        {title} <WarningBadge status={w.status} label={t(w.status)} />
      </h1>
      <p class="muted">
        {t("year")} {view.account.year} · {t("asOf")} <span data-testid="as-of">{view.asOf}</span> · {t("executionRate")}{" "}
        <strong data-testid="execution-rate">{w.executionRate}</strong> / {t("timeProgress")} <strong data-testid="time-progress">{w.timeProgress}</strong>
      </p>
      <section class="kpis" aria-label={t("entitlement")}>
        <Kpi label={t("entitlement")} fen={view.entitlement.amount} testid="entitlement" note={view.entitlement.source === "unset" ? t("entitlementUnset") : undefined} />
        <Kpi label={t("spent")} fen={view.spending.total} testid="spent" />
        <Kpi label={t("internal")} fen={view.spending.internal} testid="internal" />
        <Kpi label={t("outflow")} fen={view.spending.outflow} testid="outflow" />
        <Kpi label={t("balance")} fen={view.balance} testid="balance" />
        <Kpi label={t("paymentsMade")} fen={view.payments.madeToDate} testid="payments-made" />
        <Kpi label={t("projection")} fen={w.projectedYearEnd} testid="projected-year-end" />
        <Kpi label={t("projectedBalance")} fen={w.projectedBalance} testid="projected-balance" />
      </section>

      <section class="card" style="margin-top:1rem">
        <h2>{t("chartTitle")}</h2>
        <div id="chart" data-testid="chart"></div>
        <script type="application/json" id="chart-data" dangerouslySetInnerHTML={{ __html: scriptJson(chart) }}></script>
        <p class="note">{t("fundValueNote")}</p>
      </section>

      <div class="grid two" style="margin-top:1rem">
        <section class="card">
          <h2>{t(view.account.kind === "consortium" ? "members" : "hospital")}</h2>
          <HospitalSpendingTable ctx={props.ctx} rows={view.spending.byInternalHospital} whole={view.spending.total} names={props.hospitalNames} tableTestid="members" cellTestid="member" />
        </section>
        <section class="card">
          <h2>{t("outflowByHospital")}</h2>
          {view.spending.byOutflowHospital.length === 0 ? (
            <p class="muted" data-testid="outflow-none">
              {t("none")}
            </p>
          ) : (
            <HospitalSpendingTable ctx={props.ctx} rows={view.spending.byOutflowHospital} whole={view.spending.outflow} names={props.hospitalNames} tableTestid="outflow-table" cellTestid="outflow" />
          )}
        </section>
      </div>

      <div class="grid two" style="margin-top:1rem">
        <section class="card" data-testid="outcome" data-outcome={o.outcome}>
          <h2>{t("outcome")}</h2>
          <p>
            {t("score")}: <strong data-testid="score">{view.score.value}</strong> {view.score.source === "default" ? <span class="note">{t("scoreDefault")}</span> : null}
            <br />
            <strong>{t(o.outcome === "surplus" ? "surplus" : "overspend")}</strong>
          </p>
          <table>
            <tbody>
              <MoneyRows
                ctx={props.ctx}
                rows={[
                  ...(o.outcome === "surplus"
                    ? [
                        ["retained", o.retained, "outcome-retained"],
                        ["returnedToFund", o.returnedToFund, "outcome-returned"],
                      ]
                    : [
                        ["overspendAmount", o.overspend, "outcome-overspend"],
                        ["fundShare", o.fundShare, "outcome-fund-share"],
                        ["holderBears", o.holderBears, "outcome-holder-bears"],
                      ]),
                  ["holderTotal", o.holderTotal, "outcome-holder-total"],
                  ["paymentsMade", o.paymentsMade, "outcome-payments-made"],
                ] as MoneyRow[]}
              />
              <tr>
                <td>{t("clearingPayment")}</td>
                <td class="num">
                  <strong>
                    <Money fen={o.clearingPayment} testid="outcome-clearing-payment" />
                  </strong>
                </td>
              </tr>
            </tbody>
          </table>
          {o.outcome === "overspend" ? (
            <table style="margin-top:.6rem">
              <thead>
                <tr>
                  <th>{t("tier")}</th>
                  <th class="num">{t("overspendAmount")}</th>
                  <th class="num">{t("rate")}</th>
                  <th class="num">{t("fundShare")}</th>
                </tr>
              </thead>
              <tbody>
                {o.overspendTiers.map((tier) => (
                  <tr>
                    <td>
                      {tier.from}–{tier.to ?? "∞"}
                    </td>
                    <td class="num">{formatYuan(tier.part)}</td>
                    <td class="num">{tier.rate}</td>
                    <td class="num">{formatYuan(tier.amount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {view.outcomeProjected ? <ProjectedOutcome ctx={ctx} outcome={view.outcomeProjected} /> : null}
        </section>
        <section class="card">
          <h2>{t("months")}</h2>
          <table data-testid="months">
            <thead>
              <tr>
                <th>{t("month")}</th>
                <th class="num">{t("internal")}</th>
                <th class="num">{t("outflow")}</th>
                <th class="num">{t("payment")}</th>
              </tr>
            </thead>
            <tbody>
              {view.payments.months.map((p, i) => {
                const s = view.spending.months[i];
                return (
                  <tr class={p.made ? "" : "muted"}>
                    <td>{p.month}</td>
                    <td class="num">{s ? formatYuan(s.internal) : "—"}</td>
                    <td class="num">{s ? formatYuan(s.outflow) : "—"}</td>
                    <td class="num">{formatYuan(p.amount)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
    </Layout>
  );
}
