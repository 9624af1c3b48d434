import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { PaymentRuleError } from "../payment/errors";
import { type FieldProblem, HttpProblem, ValidationProblem } from "./errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Path of a zod issue as the client wrote it: `a.b[2].c`. */
export function fieldPath(path: readonly PropertyKey[], prefix?: string): string {
  let out = prefix ?? "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(root)";
}

export function zodFieldProblems(error: ZodError, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => ({ field: fieldPath(issue.path, prefix), reason: issue.message }));
}

export function problemFromZod(error: ZodError, target?: string): ValidationProblem {
  const prefix = target && target !== "json" ? target : undefined;
  return new ValidationProblem(zodFieldProblems(error, prefix));
}

export function problemBody(problem: HttpProblem, instance: string) {
  return {
    type: `https://medpay.dev/problems/${problem.title.toLowerCase().replaceAll(" ", "-")}`,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance,
    ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
}

export function problemResponse(problem: HttpProblem, instance: string): Response {
  return new Response(JSON.stringify(problemBody(problem, instance)), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE },
  });
}

/** Hono's own exceptions (e.g. a body that is not JSON) in the same shape as ours. */
function problemFromHttpException(err: HTTPException): HttpProblem {
  if (err.status === 400) {
    return new ValidationProblem([{ field: "(body)", reason: err.message || "malformed request body" }], err.message || "The request body could not be read.");
  }
  return new HttpProblem(err.status, err.status === 413 ? "Payload too large" : "Error", err.message || "The request failed.");
}

/** A payment rule refusing its input (RULES.md data that cannot be priced) is the caller's to fix. */
function problemFromRule(err: PaymentRuleError): HttpProblem {
  const errors = err.issues.map((i) => ({ field: i.field || "(body)", reason: i.message }));
  return new HttpProblem(422, "Unprocessable input", err.message, errors);
}

/** The one error handler: typed problems as they are, anything else as an opaque 500. */
export function handleError(err: Error, c: Context): Response {
  const instance = new URL(c.req.url).pathname;
  if (err instanceof HttpProblem) return problemResponse(err, instance);
  if (err instanceof HTTPException) return problemResponse(problemFromHttpException(err), instance);
  if (err.name === "ZodError") return problemResponse(problemFromZod(err as ZodError), instance);
  if (err instanceof PaymentRuleError) return problemResponse(problemFromRule(err), instance);
  console.error("unhandled error", err);
  return problemResponse(new HttpProblem(500, "Internal error", "The server failed to handle the request."), instance);
}
