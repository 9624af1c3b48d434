import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashKey } from "../../src/auth/keys";
import * as schema from "../../src/db/schema";
import { addAccount, addClaim, addPersons, db, seedBudgetRegion, yuan, type BudgetRegion } from "../budgets/builders";
import { BASE, call, demoKeys } from "../support/http";
import { withDemoRegion } from "../support/seed";

const AS_OF = "2026-06-15";
let r: BudgetRegion;
let resident = "";

/** A browser-like request that does not follow redirects, so the test sees them. */
const browser = (method: string, path: string, opts: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
  SELF.fetch(`${BASE}${path}`, { method, body: opts.body, headers: opts.headers, redirect: "manual" });
const form = (key: string) => ({ body: new URLSearchParams({ key }), headers: { "content-type": "application/x-www-form-urlencoded" } });

/** Opens a dashboard session with a key and returns the cookie to send back. */
async function session(key: string): Promise<string> {
  const res = await browser("POST", "/app/login", form(key));
  expect(res.status).toBe(303);
  const setCookie = res.headers.get("set-cookie") ?? "";
  return setCookie.split(";")[0]!;
}

const page = (path: string, cookie?: string) => browser("GET", path, { headers: cookie ? { cookie } : {} });

/** The fen an element with data-testid carries. */
function fenOf(htmlText: string, testid: string): number {
  const m = new RegExp(`data-testid="${testid}" data-fen="(-?\\d+)"`).exec(htmlText);
  if (!m) throw new Error(`no ${testid} on the page`);
  return Number(m[1]);
}

beforeAll(async () => {
  await withDemoRegion();
  r = await seedBudgetRegion({ regionId: "pg", hospitals: ["PH1"], consortia: [{ id: "PC1", members: ["PH1"] }] });
  await addAccount({ regionId: "pg", kind: "consortium", holderId: "PC1", entitlementOverrideFen: yuan(1_000_000) });
  await addPersons("pg", ["pg-1"], "PC1");
  await addClaim({ regionId: "pg", hospitalId: "PH1", personId: "pg-1", month: "2026-01", fundValueFen: 123_456 });
  // Demo consortium C01: an entitlement, and claims of one catchment resident at a member (H04) and elsewhere (H01).
  expect((await call("PUT", "/v1/consortia/C01/budget/2026", { key: demoKeys.agency, json: { entitlementOverrideFen: yuan(7_200_000) } })).status).toBe(200);
  const person = await db().query.persons.findFirst({ where: eq(schema.persons.catchmentConsortiumId, "C01") });
  resident = person!.id;
  await addClaim({ regionId: "demo", hospitalId: "H04", personId: resident, month: "2026-02", fundValueFen: yuan(1_500_000), patientPaidFen: yuan(300_000) });
  await addClaim({ regionId: "demo", hospitalId: "H08", personId: resident, month: "2026-05", fundValueFen: yuan(600_000) });
  await addClaim({ regionId: "demo", hospitalId: "H01", personId: resident, month: "2026-03", fundValueFen: yuan(1_700_000) });
  await db().insert(schema.settlementRuns).values({ id: "run-demo-2026-05", regionId: "demo", period: "2026-05", status: "running", episodesTotal: 400, episodesDone: 150 });
});

describe("dashboard sign-in", () => {
  it("the session cookie is HTTP-only, Secure, SameSite=Strict and holds the key's hash, never the key", async () => {
    const res = await browser("POST", "/app/login", form(demoKeys.consortium.C01));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(demoKeys.consortium.C01);
    expect(cookie.split(";")[0]).toBe(`medpay_session=${await hashKey(demoKeys.consortium.C01)}`);
  });

  it("an unknown key is refused with the form again", async () => {
    const res = await browser("POST", "/app/login", form("mp_consortium_wrong_key"));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('data-testid="login-error"');
  });

  it("pages without a session send the browser to the login form; logout ends the session", async () => {
    const res = await page("/app/consortium/C01");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app/login");
    const out = await browser("POST", "/app/logout", { headers: { cookie: await session(demoKeys.consortium.C01) } });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/medpay_session=;.*Max-Age=0/i);
  });

  it("a consortium manager lands on their own budget page", async () => {
    const res = await page("/app", await session(demoKeys.consortium.C01));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/app/consortium/C01");
  });
});

describe("consortium budget page", () => {
  it("shows the same figures as the API", async () => {
    const cookie = await session(demoKeys.consortium.C01);
    const res = await page(`/app/consortium/C01?year=2026&asOf=${AS_OF}`, cookie);
    expect(res.status).toBe(200);
    const text = await res.text();
    const api = (await (await call("GET", `/v1/consortia/C01/budget?year=2026&asOf=${AS_OF}`, { key: demoKeys.consortium.C01 })).json()) as {
      entitlement: { amount: number };
      spending: { total: number; internal: number; outflow: number; byInternalHospital: { hospitalId: string; fundValue: number }[] };
      balance: number;
      payments: { madeToDate: number };
      warning: { status: string; executionRate: string; projectedYearEnd: number };
      outcomeToday: { holderTotal: number; clearingPayment: number };
      outcomeProjected: { holderTotal: number; clearingPayment: number };
    };
    expect(api.spending.internal).toBe(yuan(2_100_000));
    expect(api.spending.outflow).toBe(yuan(1_700_000));
    expect(fenOf(text, "entitlement")).toBe(api.entitlement.amount);
    expect(fenOf(text, "spent")).toBe(api.spending.total);
    expect(fenOf(text, "internal")).toBe(api.spending.internal);
    expect(fenOf(text, "outflow")).toBe(api.spending.outflow);
    expect(fenOf(text, "balance")).toBe(api.balance);
    expect(fenOf(text, "payments-made")).toBe(api.payments.madeToDate);
    expect(fenOf(text, "projected-year-end")).toBe(api.warning.projectedYearEnd);
    expect(fenOf(text, "outcome-holder-total")).toBe(api.outcomeToday.holderTotal);
    expect(fenOf(text, "outcome-clearing-payment")).toBe(api.outcomeToday.clearingPayment);
    expect(fenOf(text, "projected-holder-total")).toBe(api.outcomeProjected.holderTotal);
    expect(fenOf(text, "projected-clearing-payment")).toBe(api.outcomeProjected.clearingPayment);
    expect(fenOf(text, "outflow-H01")).toBe(yuan(1_700_000));
    for (const m of api.spending.byInternalHospital) expect(fenOf(text, `member-${m.hospitalId}`)).toBe(m.fundValue);
    expect(text).toContain(`data-status="${api.warning.status}"`);
    expect(text).toContain(`data-testid="execution-rate">${api.warning.executionRate}<`);
  });

  it("is Chinese by default, English with ?lang=en (remembered), and fits a phone (viewport meta)", async () => {
    const cookie = await session(demoKeys.consortium.C01);
    const zh = await (await page(`/app/consortium/C01?asOf=${AS_OF}`, cookie)).text();
    expect(zh).toContain('lang="zh-CN"');
    expect(zh).toContain("医共体总额预算");
    expect(zh).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    const enRes = await page(`/app/consortium/C01?asOf=${AS_OF}&lang=en`, cookie);
    expect(await enRes.text()).toContain("Consortium total budget");
    const langCookie = (enRes.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(langCookie).toBe("medpay_lang=en");
    expect(await (await page(`/app/consortium/C01?asOf=${AS_OF}`, `${cookie}; ${langCookie}`)).text()).toContain("Consortium total budget");
  });

  it("a manager cannot open another consortium's page, in this region or another", async () => {
    const cookie = await session(demoKeys.consortium.C01);
    const other = await page("/app/consortium/PC1?year=2026", cookie);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await other.text()).not.toContain("123,456");
    expect((await page("/app/consortium/PC1?year=2026", await session(r.keyOf("PC1")))).status).toBe(200);
    expect((await page("/app/consortium/C01?year=2026", await session(r.keyOf("PC1")))).status).toBe(404);
    expect((await page("/app/consortium/C01?year=2026", await session(demoKeys.hospital.H04))).status).toBe(403);
  });

  it("serves uPlot and the chart script from the Worker itself (no CDN)", async () => {
    const text = await (await page(`/app/consortium/C01?asOf=${AS_OF}`, await session(demoKeys.consortium.C01))).text();
    expect(text).toContain('src="/app/assets/uplot.js"');
    expect(text).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
    const js = await page("/app/assets/uplot.js");
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    expect(await js.text()).toContain("uPlot");
    expect((await page("/app/assets/uplot.css")).headers.get("content-type")).toMatch(/css/);
    expect(await (await page("/app/assets/budget-chart.js")).text()).toContain("chart-data");
  });
});

describe("agency overview", () => {
  it("lists the region's budget accounts with their warning and the settlement runs with progress", async () => {
    const res = await page(`/app?asOf=${AS_OF}&lang=en`, await session(demoKeys.agency));
    expect(res.status).toBe(200);
    const text = await res.text();
    const api = (await (await call("GET", `/v1/consortia/C01/budget?year=2026&asOf=${AS_OF}`, { key: demoKeys.agency })).json()) as { warning: { status: string } };
    expect(text).toContain('data-account="consortium-C01-2026"');
    expect(text).toContain(`data-testid="status-consortium-C01-2026" data-status="${api.warning.status}"`);
    for (const h of ["H08", "H09", "H11"]) expect(text).toContain(`data-account="capitation-${h}-2026"`);
    expect(text).not.toContain("PC1");
    expect(text).toContain('data-run="run-demo-2026-05"');
    expect(text).toContain("150/400");
  });

  it("shows the monthly review queue: open review requests and open flags by month and rule (issue 17)", async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO special_reviews (id, region_id, hospital_id, claim_id, month, reason, claimed_fen, status, created_by) VALUES ('page-r1', 'demo', 'H01', 'PG-1', '2026-10', 'ICU', 1000, 'open', 'test')"),
      env.DB.prepare("INSERT INTO supervision_flags (id, region_id, hospital_id, claim_id, month, rule, subject, parameters, evidence, source) VALUES ('page-f1', 'demo', 'H01', 'PG-2', '2026-10', 'split-stay', 'PG-2', '{}', '{}', 'ingestion')"),
    ]);
    const text = await (await page(`/app?asOf=${AS_OF}&lang=en`, await session(demoKeys.agency))).text();
    expect(text).toContain('data-testid="review-queue"');
    expect(text).toMatch(/data-queue="2026-10 review">.*Open special-case review requests.*>1</s);
    expect(text).toContain('data-queue="2026-10 split-stay"');
  });

  it("a hospital is sent to its capitation page; a non-contractor gets a 404 page", async () => {
    const res = await page("/app", await session(demoKeys.hospital.H08));
    expect(res.headers.get("location")).toBe("/app/capitation/H08");
    expect((await page(`/app/capitation/H08?asOf=${AS_OF}`, await session(demoKeys.hospital.H08))).status).toBe(200);
    expect((await page(`/app/capitation/H01?asOf=${AS_OF}`, await session(demoKeys.hospital.H01))).status).toBe(404);
  });
});

