// `npm run test:e2e [-- --json <file>]`: real-browser tests of the dashboard.
// Starts `wrangler dev` on the demo region (scripts/start.mjs, a free port, a
// throwaway state directory), drives headless Debian Chromium through
// playwright-core, and checks what a consortium manager and the agency see
// against the API. Screenshots go to e2e-artifacts/ (git-ignored). With
// --json, writes a vitest-like report {numPassedTests, numFailedTests, ...}.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = "e2e-artifacts";
const YEAR = 2026;
/** Fixed "as of" date: time progress is then 6/12, whatever today is. */
const AS_OF = "2026-06-30";
const ELAPSED_MONTHS = 6;
/** Used only when the demo account has no entitlement yet: 180 yuan per capita × 40,000 residents (fen). */
const FALLBACK_ENTITLEMENT_FEN = 180_00 * 40_000;

const argv = process.argv.slice(2);
const jsonIndex = argv.indexOf("--json");
const jsonFile = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
const keys = JSON.parse(readFileSync("fixtures/demo-keys.json", "utf8"));

const results = [];
const started = Date.now();

async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, status: "passed", duration: Date.now() - t0 });
    console.log(`  ✓ ${name}`);
  } catch (err) {
    results.push({ name, status: "failed", duration: Date.now() - t0, failureMessages: [String(err?.stack ?? err)] });
    console.log(`  ✗ ${name}\n    ${String(err?.message ?? err).split("\n").join("\n    ")}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}
function assertEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, server, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the dev server exited early (code ${server.exitCode})`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the dev server did not answer ${base}/health within ${timeoutMs / 1000} s`);
}

function writeReport() {
  const passed = results.filter((r) => r.status === "passed").length;
  const failed = results.length - passed;
  const report = {
    numTotalTests: results.length,
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: 0,
    numTodoTests: 0,
    startTime: started,
    success: failed === 0 && results.length > 0,
    testResults: [{ name: "scripts/e2e.mjs", status: failed === 0 ? "passed" : "failed", assertionResults: results.map((r) => ({ title: r.name, fullName: r.name, status: r.status, duration: r.duration, failureMessages: r.failureMessages ?? [] })) }],
  };
  if (jsonFile) {
    mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
    writeFileSync(jsonFile, JSON.stringify(report, null, 2));
  }
  // Not in the "N passed, N failed" form: .ci/run prints the one summary line CI reads.
  console.log(`\ne2e: ${passed} of ${passed + failed} checks passed${failed ? `, ${failed} FAILED` : ""}`);
  return report;
}

/** Warning level from the execution rate and time progress the API reports, with RULES.md §4 thresholds (+5 pp yellow, +10 pp red). */
function expectedStatus(executionRate, timeProgress, yellowPp, redPp) {
  if (executionRate === "n/a") return null;
  const gap = parseFloat(executionRate) - parseFloat(timeProgress);
  return gap > redPp ? "red" : gap > yellowPp ? "yellow" : "green";
}

const port = Number(process.env.PORT ?? (await freePort()));
const base = `http://127.0.0.1:${port}`;
const stateDir = mkdtempSync(path.join(tmpdir(), "medpay-e2e-state-"));
const userDataDir = mkdtempSync(path.join(tmpdir(), "medpay-e2e-chromium-"));
mkdirSync(ARTIFACTS, { recursive: true });

console.log(`medpay e2e: starting wrangler dev on ${base} (state ${stateDir})`);
const server = spawn(process.execPath, ["scripts/start.mjs"], {
  env: { ...process.env, PORT: String(port), MEDPAY_STATE_DIR: stateDir, CI: "true", WRANGLER_SEND_METRICS: "false" },
  stdio: ["ignore", "pipe", "pipe"],
  detached: true,
});
let serverLog = "";
server.stdout.on("data", (d) => (serverLog += d));
server.stderr.on("data", (d) => (serverLog += d));

let context;
async function cleanup() {
  await context?.close().catch(() => {});
  // The dev server and its children (workerd) form one process group that we started.
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 500));
  try {
    process.kill(-server.pid, "SIGKILL");
  } catch {
    // already gone
  }
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(userDataDir, { recursive: true, force: true });
}

const api = async (method, apiPath, key, json) => {
  const res = await fetch(`${base}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(json ? { "content-type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${apiPath} → ${res.status}: ${text}`);
  return JSON.parse(text);
};

try {
  await waitForHealth(base, server);

  // The demo account may have no entitlement yet (the parameter schema has no per-capita amount):
  // the agency sets one through the API, as it would in production.
  const viewPath = `/v1/consortia/C01/budget?year=${YEAR}&asOf=${AS_OF}`;
  let view = await api("GET", viewPath, keys.agency);
  if (view.entitlement.source === "unset") {
    await api("PUT", `/v1/consortia/C01/budget/${YEAR}`, keys.agency, { entitlementOverrideFen: FALLBACK_ENTITLEMENT_FEN });
    view = await api("GET", viewPath, keys.consortium.C01);
  }
  const params = await api("GET", `/v1/regions/demo/years/${YEAR}/parameters`, keys.agency);
  const yellowPp = params.params.warning.yellowAbove / 100;
  const redPp = params.params.warning.redAbove / 100;

  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  // 404 pages are expected (tenancy checks); a failing script, stylesheet or image is not.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && consoleErrors.push(m.text()));
  page.on("response", (r) => {
    const type = r.request().resourceType();
    if (r.status() >= 400 && ["script", "stylesheet", "image", "font"].includes(type) && !r.url().endsWith("/favicon.ico")) consoleErrors.push(`${r.status()} ${r.url()}`);
  });
  const externalRequests = [];
  page.on("request", (r) => !r.url().startsWith(base) && !r.url().startsWith("data:") && externalRequests.push(r.url()));

  console.log("medpay e2e: consortium manager");
  await test("the consortium manager signs in with the API key and lands on the budget page", async () => {
    await page.goto(`${base}/app/consortium/C01`);
    assert(page.url().endsWith("/app/login"), `expected the login form, got ${page.url()}`);
    await page.fill('input[name="key"]', keys.consortium.C01);
    await Promise.all([page.waitForURL(/\/app\/consortium\/C01$/), page.click('button[type="submit"]')]);
  });

  await test("the session cookie is HTTP-only, Secure, SameSite=Strict and not the key", async () => {
    const cookies = await context.cookies(`${base}/app`);
    const session = cookies.find((c) => c.name === "medpay_session");
    assert(session, `no session cookie: ${JSON.stringify(cookies)}`);
    assert(session.httpOnly && session.secure && session.sameSite === "Strict", `cookie flags: ${JSON.stringify(session)}`);
    assert(!session.value.includes(keys.consortium.C01), "the cookie holds the key");
    assertEqual(await page.evaluate(() => document.cookie.includes("medpay_session")), false, "session visible to scripts");
  });

  await page.goto(`${base}/app/consortium/C01?year=${YEAR}&asOf=${AS_OF}`);

  await test("the chart renders with data points", async () => {
    await page.waitForSelector('#chart[data-ready="1"] canvas', { timeout: 15_000 });
    const chart = await page.evaluate(() => {
      const u = window.budgetChart;
      return { points: document.getElementById("chart").dataset.points, series: u.data.map((s) => s.filter((v) => v != null).length), width: u.width };
    });
    assertEqual(chart.points, String(ELAPSED_MONTHS), "spending points");
    assertEqual(chart.series[1], ELAPSED_MONTHS, "cumulative spending points");
    assertEqual(chart.series[2], 12, "budget line points");
    assert(chart.series[3] >= 1, "projection points");
    assert(chart.width > 300, `chart width ${chart.width}`);
    const drawn = await page.evaluate(() => {
      const canvas = document.querySelector("#chart canvas");
      const ctx = canvas.getContext("2d");
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
      return ink;
    });
    assert(drawn > 1000, `the canvas is almost empty (${drawn} painted pixels)`);
  });

  await test("the numbers on the page match the API", async () => {
    const fen = (id) => page.getAttribute(`[data-testid="${id}"]`, "data-fen").then(Number);
    const checks = [
      ["entitlement", view.entitlement.amount],
      ["spent", view.spending.total],
      ["internal", view.spending.internal],
      ["outflow", view.spending.outflow],
      ["balance", view.balance],
      ["payments-made", view.payments.madeToDate],
      ["projected-year-end", view.warning.projectedYearEnd],
      ["projected-balance", view.warning.projectedBalance],
      ["outcome-holder-total", view.outcomeToday.holderTotal],
      ["outcome-clearing-payment", view.outcomeToday.clearingPayment],
      ["projected-holder-total", view.outcomeProjected.holderTotal],
      ["projected-clearing-payment", view.outcomeProjected.clearingPayment],
      ...view.spending.byInternalHospital.map((h) => [`member-${h.hospitalId}`, h.fundValue]),
      ...view.spending.byOutflowHospital.map((h) => [`outflow-${h.hospitalId}`, h.fundValue]),
    ];
    for (const [id, expected] of checks) assertEqual(await fen(id), expected, id);
    assertEqual(await page.textContent('[data-testid="execution-rate"]'), view.warning.executionRate, "execution rate");
    assertEqual(await page.textContent('[data-testid="time-progress"]'), view.warning.timeProgress, "time progress");
    const shown = await page.textContent('[data-testid="entitlement"]');
    const yuan = (view.entitlement.amount / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
    assertEqual(shown, yuan, "entitlement in yuan");
  });

  await test("the warning badge matches the execution rate", async () => {
    const status = await page.getAttribute('[data-testid="warning-badge"]', "data-status");
    const expected = expectedStatus(view.warning.executionRate, view.warning.timeProgress, yellowPp, redPp);
    assertEqual(status, view.warning.status, "badge vs API");
    if (expected !== null) assertEqual(status, expected, `badge for ${view.warning.executionRate} at ${view.warning.timeProgress}`);
  });

  await test("the manager cannot open another consortium's page", async () => {
    const res = await page.goto(`${base}/app/consortium/XC1?year=${YEAR}`);
    assertEqual(res.status(), 404, "status");
    await page.goto(`${base}/app/consortium/C01?year=${YEAR}&asOf=${AS_OF}`);
  });

  await test("desktop screenshot", async () => {
    await page.waitForSelector('#chart[data-ready="1"] canvas');
    await page.screenshot({ path: `${ARTIFACTS}/consortium-desktop.png`, fullPage: true });
  });

  await test("on a phone-sized screen the page fits the width and the chart follows it", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/app/consortium/C01?year=${YEAR}&asOf=${AS_OF}`);
    await page.waitForSelector('#chart[data-ready="1"] canvas');
    const fit = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth, chart: window.budgetChart.width }));
    assert(fit.scroll <= fit.inner + 1, `horizontal overflow: ${fit.scroll} > ${fit.inner}`);
    assert(fit.chart <= fit.inner, `chart wider than the screen: ${fit.chart}`);
    await page.screenshot({ path: `${ARTIFACTS}/consortium-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await test("the English toggle switches the page and is remembered", async () => {
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('html[lang="en"]');
    assert((await page.textContent("h1")).includes("Consortium total budget"), "English title");
    await page.goto(`${base}/app/consortium/C01?year=${YEAR}&asOf=${AS_OF}`);
    assertEqual(await page.getAttribute("html", "lang"), "en", "remembered language");
    await page.screenshot({ path: `${ARTIFACTS}/consortium-desktop-en.png`, fullPage: true });
    await page.goto(`${base}/app/consortium/C01?year=${YEAR}&asOf=${AS_OF}&lang=zh`);
  });

  console.log("medpay e2e: agency");
  await test("signing out ends the session; the agency signs in and sees the accounts with the same status", async () => {
    await Promise.all([page.waitForURL(/\/app\/login$/), page.click('header form button[type="submit"]')]);
    const res = await page.goto(`${base}/app/consortium/C01`);
    assert(page.url().endsWith("/app/login"), `still signed in: ${page.url()} (${res.status()})`);
    await page.fill('input[name="key"]', keys.agency);
    await Promise.all([page.waitForURL(/\/app$/), page.click('button[type="submit"]')]);
    await page.goto(`${base}/app?year=${YEAR}&asOf=${AS_OF}`);
    const status = await page.getAttribute(`[data-testid="status-consortium-C01-${YEAR}"]`, "data-status");
    assertEqual(status, view.warning.status, "C01 status on the overview");
    const rows = await page.locator("[data-account]").count();
    assert(rows >= 4, `expected the consortium and three capitation accounts, got ${rows}`);
    // The seeded month's review queue (issue 17): open special-case requests and supervision flags.
    const queued = await page.locator("[data-queue]").count();
    assert(queued >= 2, `expected open review requests and flags in the queue, got ${queued} rows`);
    assert((await page.locator('[data-queue$=" review"]').count()) >= 1, "no open review requests in the queue");
    await page.screenshot({ path: `${ARTIFACTS}/agency-desktop.png`, fullPage: true });
  });

  await test("no request left the Worker (no CDN) and no script errors", async () => {
    assertEqual(externalRequests.length, 0, `external requests ${externalRequests.join(", ")}`);
    assertEqual(consoleErrors.length, 0, `console errors ${consoleErrors.join(" | ")}`);
  });
} catch (err) {
  results.push({ name: "e2e setup", status: "failed", duration: 0, failureMessages: [String(err?.stack ?? err)] });
  console.error(`medpay e2e: ${err?.stack ?? err}\n--- dev server output ---\n${serverLog.slice(-4000)}`);
} finally {
  await cleanup();
}

const report = writeReport();
process.exit(report.success ? 0 : 1);
