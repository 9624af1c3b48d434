/**
 * Payment rules (RULES.md) as a pure library: no Hono, D1 or Node imports, so
 * settlement runs, previews, dashboards, the CLI and tests share one code path.
 */
export { PaymentRuleError, formatFieldPath, type PaymentRuleErrorCode } from "./errors.js";
export {
  type Fen,
  type Ratio4,
  RATIO4_ONE,
  applyRate,
  assertFen,
  floorDiv,
  formatRatio4,
  formatRational,
  formatYuan,
  mulDivRound,
  parseYuan,
  roundHalfAwayFromZero,
  sumFen,
  toSafeNumber,
} from "./money.js";
export { type PointUnits, POINT_SCALE, formatPoints, parsePoints, pointsFromRational, scalePoints } from "./points.js";
export { allocateByWeights, compareIds, type AllocatedShare, type WeightedParty } from "./allocation.js";
export {
  budgetAccountRulesSchema,
  defaultParameters,
  parseRegionYearParameters,
  perDiemSegmentsSchema,
  rateForScore,
  regionYearParametersSchema,
  scoreTiersSchema,
  openTiersSchema,
  zodToPaymentError,
  type BudgetAccountRules,
  type DefaultParametersOptions,
  type OpenTiers,
  type PerDiemSegments,
  type RegionYearParameters,
  type ScoreTiers,
} from "./parameters.js";
export * from "./vocabulary.js";
export { drgWeightSchema, drgWeightTableSchema, indexWeights, type DrgWeight, type DrgWeightTable } from "./weights.js";
export {
  drgEpisodeSchema,
  hospitalCoefficient,
  hospitalSchema,
  highThreshold,
  isUngroupable,
  perDiemTableFor,
  priceEpisode,
  type DrgEpisode,
  type Hospital,
  type PricedEpisode,
  type PricingContext,
  type PricingExplanation,
} from "./drg-pricing.js";
export { applyReadmissionRule, type EpisodeWithReadmission, type PointsAdjustment, type ReadmissionMark, type ReadmissionOptions } from "./readmission.js";
export {
  allocatePoolByPoints,
  pointValueOf,
  settleMonth,
  type HospitalMonthInput,
  type HospitalMonthLine,
  type MonthSettlement,
  type PointValue,
  type SettleMonthInput,
} from "./presettlement.js";
export { clearYear, type AnnualClearing, type HospitalClearingLine, type HospitalYearInput } from "./annual-clearing.js";
export {
  countedOrdinals,
  perDiemClaimSchema,
  perDiemLines,
  perDiemRateTable,
  pricePerDiemClaim,
  type PerDiemClaim,
  type PerDiemLine,
  type PricedPerDiemClaim,
} from "./per-diem.js";
export {
  capitationEntitlement,
  consortiumEntitlement,
  enrolmentSchema,
  personQuotaScaled,
  type CapitationEntitlement,
  type CapitationMonth,
  type CapitationPerson,
  type Enrolment,
} from "./capitation-entitlement.js";
export {
  accountPaymentSchedule,
  clearBudgetAccount,
  evenMonthlySplit,
  percentText,
  type AccountPaymentLine,
  type AccountPaymentSchedule,
  type BudgetAccountClearing,
  type BudgetAccountClearingInput,
  type MonthlySpending,
  type OverspendTierLine,
} from "./budget-account.js";
export { budgetWarning, type BudgetWarning } from "./early-warning.js";
export { patientShareInputSchema, previewPatientShare, type PatientShareInput, type PatientShareLayer, type PatientSharePreview } from "./patient-share.js";
export { budgetAccountScenarioSchema, parseScenario, scenarioJsonSchema, scenarioSchema, type BudgetAccountScenario, type Scenario } from "./scenario.js";
export { simulate, type BudgetAccountResult, type DeductionLine, type ReviewOutcome, type PerDiemMonthLine, type SimulationResult } from "./simulate.js";
export {
  applyEpisodeDecisions,
  reviewCap,
  reviewedPoints,
  violationEffect,
  type AcceptedReview,
  type ConfirmedViolation,
  type DecidedEpisode,
  type EpisodeDecisions,
} from "./case-decisions.js";
export { defaultSupervisionParameters, supervisionParametersSchema, type SupervisionParameters, type ViolationKindRule } from "./supervision-parameters.js";
export {
  SCREEN_RULES,
  screenLowStandardAdmission,
  screenSeverityShare,
  screenSplitStays,
  screenUpcodingSeverity,
  severityCells,
  type Regroup,
  type SeverityCell,
  type ScreenEpisode,
  type ScreenFlag,
  type ScreenRule,
  type SeverityEvidence,
} from "./supervision-screens.js";
export { daysBetween, epochDay, monthOf, monthsOfYear } from "./dates.js";
