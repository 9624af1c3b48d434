/**
 * The request's "now": which months have ended (RULES.md §2, the month's edges)
 * and what "today" is for early warning are decided by it. Wall-clock time by
 * default; `MEDPAY_NOW` (an ISO date or instant) fixes it for a whole
 * deployment (a demo frozen at a date), and under MEDPAY_ENV=test a request may
 * carry `x-medpay-now` so that tests about 2 December run the same any day.
 * The header is ignored everywhere else: a client never sets the agency's clock.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv, Bindings } from "../env";

export const NOW_HEADER = "x-medpay-now";

function parseInstant(text: string | undefined): Date | null {
  if (!text) return null;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The deployment's fixed now, if any, else the wall clock. */
export function clockOf(env: Pick<Bindings, "MEDPAY_ENV" | "MEDPAY_NOW">): Date {
  return parseInstant(env.MEDPAY_NOW) ?? new Date();
}

export const withClock = createMiddleware<AppEnv>(async (c, next) => {
  const fromTest = c.env.MEDPAY_ENV === "test" ? parseInstant(c.req.header(NOW_HEADER)) : null;
  c.set("now", fromTest ?? clockOf(c.env));
  await next();
});

/** `YYYY-MM-DD` of an instant (UTC). */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);
