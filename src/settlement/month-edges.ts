/**
 * The month's edges (RULES.md §2): a run may start only after its month has
 * ended, a run with no episodes cannot be approved, and a year-end clearing is
 * final only once all twelve months of the year are approved (before that it
 * is a trial, 模拟清算, computed and shown but never recorded).
 */
import { DomainError } from "../payment/errors";
import { monthsOfYear } from "../payment/dates";

/** 409 unless `period` (YYYY-MM) ended before `now`: the current and future months have no complete claims yet. */
export function assertMonthEnded(period: string, now: Date): void {
  const current = now.toISOString().slice(0, 7); // the month in progress (UTC)
  if (period < current) return;
  const when = period === current ? "is the current month" : "has not begun";
  throw new DomainError("month-not-ended", `${period} ${when} (today is ${now.toISOString().slice(0, 10)}); a month is settled only after it has ended, from ${nextMonth(period)}-01.`);
}

/** 409 for an empty run: approving it would close the month for good with nothing paid. */
export function assertRunHasEpisodes(run: { id: string; period: string; episodesTotal: number }): void {
  if (run.episodesTotal > 0) return;
  throw new DomainError("run-empty", `Run ${run.id} of ${run.period} has no episodes; an empty run cannot be approved (it would close ${run.period} with nothing paid). Upload the month's claims and run it again.`);
}

export function nextMonth(period: string): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** The months of `year` without an approved run: empty when the year's clearing may be final. */
export function monthsNotApproved(year: number, approvedPeriods: Iterable<string>): string[] {
  const approved = new Set(approvedPeriods);
  return monthsOfYear(year).filter((m) => !approved.has(m));
}
