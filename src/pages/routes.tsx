/**
 * The dashboard (/app): server-rendered pages fed by the same domain functions
 * as the API (loadAccountView), behind a cookie session opened with an API key.
 */
import { and, asc, count, desc, eq } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { html } from "hono/html";
import type { JSX } from "hono/jsx/jsx-runtime";
import { visibleAccount } from "../budgets/access";
import { loadAccountView } from "../budgets/store";
import type { Database } from "../db/client";
import { budgetAccounts, consortia, hospitals, settlementRuns, specialReviews, supervisionFlags } from "../db/schema";
import type { AppEnv } from "../env";
import { problemKindOf, type ProblemKind } from "../http/error-codes";
import { DomainError } from "../payment/errors";
import { dateSchema, type AccountKind } from "../payment/vocabulary";
import { AgencyPage, type QueueRow } from "./agency";
import { assetRoutes } from "./assets";
import { AccountPage } from "./consortium";
import { resolveLang, translator } from "./i18n";
import type { PageContext } from "./layout";
import { Layout } from "./layout";
import { LoginPage } from "./login";
import { requireSession, signIn, signOut } from "./session";

function pageContext(c: Context<AppEnv>): PageContext {
  const lang = resolveLang(c);
  const url = new URL(c.req.url);
  return { lang, t: translator(lang), path: `${url.pathname}${url.search}`, principal: c.get("principal") };
}

const render = (c: Context<AppEnv>, page: JSX.Element, status: 200 | ProblemKind["status"] = 200) =>
  c.html(html`<!doctype html>${page}`, status, { "cache-control": "no-store" });


/** `asOf` (default today) and `year` (default asOf's year) from the query; malformed values fall back to the defaults. */
function pageDates(c: Context<AppEnv>) {
  const q = c.req.query("asOf");
  const asOf = q && dateSchema.safeParse(q).success ? q : new Date().toISOString().slice(0, 10);
  const y = Number(c.req.query("year"));
  return { asOf, year: Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : Number(asOf.slice(0, 4)) };
}

async function hospitalNames(c: Context<AppEnv>, regionId: string, lang: string) {
  const rows = await c.var.db.select().from(hospitals).where(eq(hospitals.regionId, regionId));
  return new Map(rows.map((h) => [h.id, lang === "zh" ? h.name : h.nameEn]));
}

async function consortiumNames(c: Context<AppEnv>, regionId: string, lang: string) {
  const rows = await c.var.db.select().from(consortia).where(eq(consortia.regionId, regionId));
  return new Map(rows.map((h) => [h.id, lang === "zh" ? h.name : h.nameEn]));
}

async function accountPage(c: Context<AppEnv>, kind: AccountKind) {
  const ctx = pageContext(c);
  const { asOf, year } = pageDates(c);
  const p = c.var.principal;
  const holderId = c.req.param("id") ?? "";
  const account = await visibleAccount(c.var.db, p, kind, holderId, year);
  const { view } = await loadAccountView(c.var.db, account, asOf);
  const names = await hospitalNames(c, account.regionId, ctx.lang);
  const holderName = (kind === "consortium" ? await consortiumNames(c, account.regionId, ctx.lang) : names).get(holderId) ?? holderId;
  return render(c, <AccountPage ctx={ctx} view={view} holderName={holderName} hospitalNames={names} />);
}

/** Open review requests and open flags by month and rule, newest month first. */
async function reviewQueue(db: Database, regionId: string): Promise<QueueRow[]> {
  const reviews = await db
    .select({ month: specialReviews.month, count: count() })
    .from(specialReviews)
    .where(and(eq(specialReviews.regionId, regionId), eq(specialReviews.status, "open")))
    .groupBy(specialReviews.month);
  const flags = await db
    .select({ month: supervisionFlags.month, kind: supervisionFlags.rule, count: count() })
    .from(supervisionFlags)
    .where(and(eq(supervisionFlags.regionId, regionId), eq(supervisionFlags.status, "open")))
    .groupBy(supervisionFlags.month, supervisionFlags.rule);
  return [...reviews.map((r) => ({ ...r, kind: "review" })), ...flags].sort((a, b) => (a.month === b.month ? (a.kind < b.kind ? -1 : 1) : a.month < b.month ? 1 : -1)).slice(0, 24);
}

export const pageRoutes = new Hono<AppEnv>()
  .route("/", assetRoutes)
  .get("/app/login", (c) => render(c, <LoginPage ctx={pageContext(c)} />))
  .post("/app/login", async (c) => {
    const form = await c.req.parseBody();
    const key = typeof form.key === "string" ? form.key : "";
    const principal = key ? await signIn(c, key) : undefined;
    if (!principal) return render(c, <LoginPage ctx={pageContext(c)} failed />, 401);
    return c.redirect("/app", 303);
  })
  .post("/app/logout", (c) => {
    signOut(c);
    return c.redirect("/app/login", 303);
  })
  .get("/app", requireSession, async (c) => {
    const p = c.var.principal;
    if (p.role === "consortium") return c.redirect(`/app/consortium/${p.consortiumId}`, 303);
    if (p.role === "hospital") return c.redirect(`/app/capitation/${p.hospitalId}`, 303);
    const ctx = pageContext(c);
    const { asOf, year } = pageDates(c);
    const rows = await c.var.db
      .select()
      .from(budgetAccounts)
      .where(and(eq(budgetAccounts.regionId, p.regionId), eq(budgetAccounts.year, year)))
      .orderBy(asc(budgetAccounts.kind), asc(budgetAccounts.holderId));
    const [hNames, cNames] = await Promise.all([hospitalNames(c, p.regionId, ctx.lang), consortiumNames(c, p.regionId, ctx.lang)]);
    const accounts = await Promise.all(
      rows.map(async (a) => ({ view: (await loadAccountView(c.var.db, a, asOf)).view, holderName: (a.kind === "consortium" ? cNames : hNames).get(a.holderId) ?? a.holderId })),
    );
    const runs = await c.var.db.select().from(settlementRuns).where(eq(settlementRuns.regionId, p.regionId)).orderBy(desc(settlementRuns.period), desc(settlementRuns.createdAt)).limit(24);
    const queue = await reviewQueue(c.var.db, p.regionId);
    return render(c, <AgencyPage ctx={ctx} year={year} asOf={asOf} accounts={accounts} runs={runs} queue={queue} />);
  })
  .get("/app/consortium/:id", requireSession, (c) => accountPage(c, "consortium"))
  .get("/app/capitation/:id", requireSession, (c) => accountPage(c, "capitation"));

/** Errors on a page are pages too (the API answers problem+json). */
pageRoutes.onError((err, c) => {
  const ctx = pageContext(c);
  const status = err instanceof DomainError ? problemKindOf(err.code).status : 500;
  if (status >= 500) console.error(err);
  const message = status === 404 ? ctx.t("notFound") : status === 403 ? ctx.t("forbidden") : err instanceof DomainError && status < 500 ? err.message : "Internal error";
  return render(
    c,
    <Layout ctx={ctx} title={String(status)}>
      <h1>{status}</h1>
      <p class="error" data-testid="page-error">
        {message}
      </p>
      <p>
        <a href="/app">medpay</a>
      </p>
    </Layout>,
    status,
  );
});
