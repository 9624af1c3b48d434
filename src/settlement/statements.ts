/**
 * Hospital statements of a run (结算单): the month's pre-settlement (RULES.md
 * §2 via payment.settleMonth) joined with the per-diem payments (§3) and the
 * review flags, one line per hospital. Pure: aggregates in, lines out.
 */
import { formatPoints, formatYuan, settleMonth, sumFen, type MonthSettlement } from "../payment";
import { isDrgClass, isPointsOnlyClass, type PaymentClass } from "../payment/vocabulary";
import { toExcelCsv } from "./csv";

/** Per hospital and payment class: what the run's episode rows add up to. */
export interface ClassAggregate {
  hospitalId: string;
  paymentClass: PaymentClass;
  episodes: number;
  points: number;
  amountFen: number;
  patientPaidFen: number;
}

export interface FlagAggregate {
  hospitalId: string;
  flag: string;
  episodes: number;
}

/** A statement line; the shape of settlement_lines. */
export interface StatementLine {
  hospitalId: string;
  points: number;
  pointsByClass: Record<string, number>;
  drgEpisodes: number;
  perDiemEpisodes: number;
  allocatedFen: number;
  patientPaidFen: number;
  drgFundFen: number;
  perDiemStandardFen: number;
  perDiemFundFen: number;
  depositFen: number;
  netPayableFen: number;
  flags: Record<string, number>;
}

export interface RunTotals {
  period: string;
  budgetFen: number;
  poolFen: number;
  patientPaidFen: number;
  totalPoints: string;
  pointValue: string | null;
  unallocatedBudgetFen: number;
  drg: { episodes: number; fundFen: number; depositFen: number; paidNowFen: number };
  perDiem: { episodes: number; standardFen: number; fundFen: number };
  netPayableFen: number;
}

/** Flags counted on statements: review cases (ungroupable), readmissions, over-cap days, high and low cases. */
const FLAG_KEYS: Record<string, string> = { review: "review", readmission: "readmission", "over-cap": "overCap", "interim-not-per-diem": "interimNotPerDiem", reviewed: "reviewed", sanctioned: "sanctioned" };

export function buildStatements(input: { period: string; budgetFen: number; depositRate: number; classes: readonly ClassAggregate[]; flags: readonly FlagAggregate[] }): { month: MonthSettlement; lines: StatementLine[]; totals: RunTotals } {
  const byHospital = new Map<string, ClassAggregate[]>();
  for (const a of input.classes) byHospital.set(a.hospitalId, [...(byHospital.get(a.hospitalId) ?? []), a]);
  const drgOf = (list: ClassAggregate[]) => list.filter((a) => isDrgClass(a.paymentClass) || isPointsOnlyClass(a.paymentClass));
  const month = settleMonth({
    month: input.period,
    budget: input.budgetFen,
    depositRate: input.depositRate,
    hospitals: [...byHospital].map(([hospitalId, list]) => ({
      hospitalId,
      // §8: deductions never take a hospital's month below 0 points.
      points: Math.max(0, drgOf(list).reduce((s, a) => s + a.points, 0)),
      patientPaid: sumFen(drgOf(list).filter((a) => isDrgClass(a.paymentClass)).map((a) => a.patientPaidFen)),
    })),
  });
  const lines = month.lines.map((m): StatementLine => {
    const list = byHospital.get(m.hospitalId)!;
    const perDiem = list.filter((a) => a.paymentClass === "per-diem");
    const perDiemStandardFen = sumFen(perDiem.map((a) => a.amountFen));
    const perDiemFundFen = perDiemStandardFen - sumFen(perDiem.map((a) => a.patientPaidFen));
    const flags: Record<string, number> = { ungroupable: 0, readmission: 0, overCap: 0, high: 0, low: 0, review: 0, interimNotPerDiem: 0, reviewed: 0, sanctioned: 0 };
    for (const a of list) if (a.paymentClass === "ungroupable" || a.paymentClass === "high" || a.paymentClass === "low") flags[a.paymentClass] = a.episodes;
    for (const f of input.flags) if (f.hospitalId === m.hospitalId && FLAG_KEYS[f.flag]) flags[FLAG_KEYS[f.flag]!] = (flags[FLAG_KEYS[f.flag]!] ?? 0) + f.episodes;
    return {
      hospitalId: m.hospitalId,
      points: m.points,
      pointsByClass: Object.fromEntries(drgOf(list).map((a) => [a.paymentClass, a.points])),
      drgEpisodes: list.filter((a) => isDrgClass(a.paymentClass)).reduce((s, a) => s + a.episodes, 0),
      perDiemEpisodes: perDiem.reduce((s, a) => s + a.episodes, 0),
      allocatedFen: m.share,
      patientPaidFen: m.patientPaid,
      drgFundFen: m.fundPayment,
      perDiemStandardFen,
      perDiemFundFen,
      depositFen: m.deposit,
      netPayableFen: m.paidNow + perDiemFundFen,
      flags,
    };
  });
  const totals: RunTotals = {
    period: input.period,
    budgetFen: month.budget,
    poolFen: month.pool,
    patientPaidFen: month.patientPaid,
    totalPoints: month.totalPointsText,
    pointValue: month.pointValue?.yuanPerPoint ?? null,
    unallocatedBudgetFen: month.unallocatedBudget,
    drg: { episodes: lines.reduce((s, l) => s + l.drgEpisodes, 0), fundFen: month.totals.fundPayment, depositFen: month.totals.deposit, paidNowFen: month.totals.paidNow },
    perDiem: { episodes: lines.reduce((s, l) => s + l.perDiemEpisodes, 0), standardFen: sumFen(lines.map((l) => l.perDiemStandardFen)), fundFen: sumFen(lines.map((l) => l.perDiemFundFen)) },
    netPayableFen: sumFen(lines.map((l) => l.netPayableFen)),
  };
  return { month, lines, totals };
}

/** The statement as the API shows it: points as 4-place strings next to the integer units. */
export function statementView(line: StatementLine, hospital: { name: string; nameEn: string } | undefined, pointValue: string | null) {
  return {
    hospitalId: line.hospitalId,
    hospitalName: hospital?.name ?? null,
    hospitalNameEn: hospital?.nameEn ?? null,
    points: formatPoints(line.points),
    pointsByClass: Object.fromEntries(Object.entries(line.pointsByClass).map(([k, v]) => [k, formatPoints(v)])),
    pointValue,
    drgEpisodes: line.drgEpisodes,
    perDiemEpisodes: line.perDiemEpisodes,
    drgShareFen: line.allocatedFen,
    drgPatientPaidFen: line.patientPaidFen,
    drgPaymentFen: line.drgFundFen,
    perDiemStandardFen: line.perDiemStandardFen,
    perDiemPaymentFen: line.perDiemFundFen,
    depositFen: line.depositFen,
    netPayableFen: line.netPayableFen,
    flags: line.flags,
  };
}

export type StatementView = ReturnType<typeof statementView>;

const CSV_HEADER = [
  "结算期 Period",
  "医院编码 Hospital ID",
  "医院 Hospital",
  "DRG病例数 DRG cases",
  "床日病例数 Per-diem cases",
  "总点数 Points",
  "正常病例点数 Normal points",
  "高倍率点数 High-cost points",
  "低倍率点数 Low-cost points",
  "特病单议点数 Ungroupable points",
  "调整点数 Adjustment points",
  "特例单议点数 Reviewed points",
  "违规病例点数 Sanctioned points",
  "扣减点数 Deducted points",
  "单议调整点数 Review adjustment points",
  "监管调整点数 Supervision adjustment points",
  "点值(元) Point value (yuan)",
  "DRG分配额(元) DRG share (yuan)",
  "DRG个人支付(元) DRG patient paid (yuan)",
  "DRG基金支付(元) DRG fund payment (yuan)",
  "床日标准(元) Per-diem standard (yuan)",
  "床日基金支付(元) Per-diem fund payment (yuan)",
  "质量保证金(元) Deposit withheld (yuan)",
  "应付净额(元) Net payable (yuan)",
  "特病单议 Ungroupable",
  "再入院 Readmission",
  "超床日上限 Over cap",
  "高倍率 High",
  "低倍率 Low",
  "特例单议病例 Reviewed cases",
  "违规病例 Sanctioned cases",
];

/** Yuan with two decimals, no thousands separator (Excel reads it as a number). */
const yuan = (fen: number) => formatYuan(fen).replaceAll(",", "");

export function statementsCsv(period: string, lines: readonly StatementView[]): string {
  return toExcelCsv(
    CSV_HEADER,
    lines.map((l) => [
      period,
      l.hospitalId,
      l.hospitalName ?? "",
      l.drgEpisodes,
      l.perDiemEpisodes,
      l.points,
      l.pointsByClass["normal"] ?? "0.0000",
      l.pointsByClass["high"] ?? "0.0000",
      l.pointsByClass["low"] ?? "0.0000",
      l.pointsByClass["ungroupable"] ?? "0.0000",
      l.pointsByClass["adjustment"] ?? "0.0000",
      l.pointsByClass["reviewed"] ?? "0.0000",
      l.pointsByClass["sanctioned"] ?? "0.0000",
      l.pointsByClass["deduction"] ?? "0.0000",
      l.pointsByClass["review-adjustment"] ?? "0.0000",
      l.pointsByClass["supervision-adjustment"] ?? "0.0000",
      l.pointValue ?? "",
      yuan(l.drgShareFen),
      yuan(l.drgPatientPaidFen),
      yuan(l.drgPaymentFen),
      yuan(l.perDiemStandardFen),
      yuan(l.perDiemPaymentFen),
      yuan(l.depositFen),
      yuan(l.netPayableFen),
      l.flags["ungroupable"] ?? 0,
      l.flags["readmission"] ?? 0,
      l.flags["overCap"] ?? 0,
      l.flags["high"] ?? 0,
      l.flags["low"] ?? 0,
      l.flags["reviewed"] ?? 0,
      l.flags["sanctioned"] ?? 0,
    ]),
  );
}
