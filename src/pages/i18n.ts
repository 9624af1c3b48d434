/**
 * Dashboard wording: Chinese by default, English on request (`?lang=en`, kept
 * in a cookie). One dictionary so that both languages always have every text.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export const LANGS = ["zh", "en"] as const;
export type Lang = (typeof LANGS)[number];
const LANG_COOKIE = "medpay_lang";

const dict = {
  appName: ["医保支付 medpay", "medpay"],
  login: ["登录", "Sign in"],
  logout: ["退出", "Sign out"],
  apiKey: ["API 密钥", "API key"],
  loginHint: ["请输入经办机构、医共体或医院的 API 密钥。密钥只用于本次登录校验，不会保存在浏览器中。", "Enter your agency, consortium or hospital API key. The key is checked once and never kept in the browser."],
  badKey: ["密钥无效或已停用。", "The key is unknown or revoked."],
  consortiumBudget: ["医共体总额预算", "Consortium total budget"],
  capitationBudget: ["门诊慢特病按人头预算", "Chronic-disease capitation budget"],
  year: ["年度", "Year"],
  asOf: ["截至", "As of"],
  entitlement: ["年度预算 E", "Entitlement E"],
  entitlementUnset: ["尚未设定（需经办机构设定预算额）", "not set (the agency must set the amount)"],
  spent: ["已发生 I + O", "Spent I + O"],
  internal: ["内部支出 I", "Internal I"],
  outflow: ["外流 O", "Outflow O"],
  balance: ["结余 b = E − O − I", "Balance b = E − O − I"],
  paymentsMade: ["已拨付", "Payments made"],
  executionRate: ["执行率", "Execution rate"],
  timeProgress: ["时间进度", "Time progress"],
  warning: ["预警", "Warning"],
  green: ["正常", "Green"],
  yellow: ["黄色预警", "Yellow"],
  red: ["红色预警", "Red"],
  projection: ["年末预计支出", "Projected year-end spending"],
  projectedBalance: ["年末预计结余", "Projected year-end balance"],
  chartTitle: ["累计支出与序时预算", "Cumulative spending against the pro-rata budget"],
  seriesSpending: ["累计支出", "Cumulative spending"],
  seriesBudget: ["序时预算", "Pro-rata budget"],
  seriesProjection: ["预计", "Projection"],
  yuanUnit: ["元", "yuan"],
  outflowByHospital: ["外流去向（按医院）", "Outflow by destination hospital"],
  members: ["成员医院", "Member hospitals"],
  hospital: ["医院", "Hospital"],
  claims: ["结算单数", "Claims"],
  fundValue: ["基金支出（元）", "Fund value (yuan)"],
  share: ["占比", "Share"],
  none: ["暂无", "None yet"],
  outcome: ["若今日清算", "Year-end outcome if cleared today"],
  outcomeProjected: ["按当前进度预计的年终清算", "Year-end clearing at the current run rate"],
  score: ["考核得分", "Assessment score"],
  scoreDefault: ["（尚无考核得分，按 60 分估算）", "(no score recorded yet; 60 assumed)"],
  surplus: ["结余留用", "Balance retained"],
  overspend: ["合理超支分担", "Overspend shared"],
  retained: ["留用", "Retained"],
  returnedToFund: ["返还基金", "Returned to the fund"],
  overspendAmount: ["超支额", "Overspend"],
  fundShare: ["基金分担", "Fund share"],
  holderBears: ["自担", "Borne by the holder"],
  holderTotal: ["应得总额 T", "Holder's total T"],
  clearingPayment: ["清算款（负数为应退回）", "Clearing payment (negative: due back)"],
  tier: ["分段", "Tier"],
  rate: ["比例", "Rate"],
  months: ["按月", "By month"],
  month: ["月份", "Month"],
  payment: ["拨付", "Payment"],
  agencyOverview: ["经办机构总览", "Agency overview"],
  accounts: ["预算账户", "Budget accounts"],
  holder: ["主体", "Holder"],
  kind: ["类型", "Kind"],
  kindConsortium: ["医共体", "Consortium"],
  kindCapitation: ["按人头", "Capitation"],
  settlementRuns: ["月度结算批次", "Settlement runs"],
  period: ["期间", "Period"],
  status: ["状态", "Status"],
  progress: ["进度", "Progress"],
  created: ["创建时间", "Created"],
  reviewQueue: ["月度审核：特例单议与基金监管", "Monthly review: special cases and fund supervision"],
  openReviews: ["待审特例单议申请", "Open special-case review requests"],
  openFlags: ["待处理监管疑点", "Open supervision flags"],
  rule: ["规则", "Rule"],
  count: ["数量", "Count"],
  noQueue: ["审核队列为空。", "The review queue is empty."],
  noRuns: ["本统筹区尚无结算批次。", "No settlement runs in this region yet."],
  notFound: ["未找到该页面或无权查看。", "Not found, or not yours to see."],
  forbidden: ["当前身份无权查看此页面。", "Your role may not open this page."],
  fundValueNote: ["基金支出 = 总费用 − 个人自付；按结算月份归集。", "Fund value = total cost − patient paid, by settlement month."],
} satisfies Record<string, [zh: string, en: string]>;

export type TextKey = keyof typeof dict;
export type T = (key: TextKey) => string;

export function translator(lang: Lang): T {
  const i = lang === "zh" ? 0 : 1;
  return (key) => dict[key][i];
}

/** `?lang=` wins and is remembered in a cookie; otherwise the cookie; otherwise Chinese. */
export function resolveLang(c: Context): Lang {
  const q = c.req.query("lang");
  if (q === "zh" || q === "en") {
    setCookie(c, LANG_COOKIE, q, { path: "/app", sameSite: "Strict", secure: true, httpOnly: true, maxAge: 365 * 86400 });
    return q;
  }
  const cookie = getCookie(c, LANG_COOKIE);
  return cookie === "en" ? "en" : "zh";
}
