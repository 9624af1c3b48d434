import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { DomainError, type FieldProblem, zodFieldProblems } from "../payment/errors";
import { problemKindOf } from "./error-codes";
import { ValidationProblem } from "./errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemFromZod(error: ZodError, target?: string): ValidationProblem {
  const prefix = target && target !== "json" ? target : undefined;
  return new ValidationProblem(zodFieldProblems(error, prefix));
}

/** A domain error's fields as the problem body names them (`(body)` for the whole input). */
export function fieldProblemsOf(err: DomainError): FieldProblem[] {
  return err.issues.map((i) => ({ field: i.field || "(body)", reason: i.message }));
}

/** What a problem+json body is made of: a code's status and title, or a status of Hono's own. */
interface ProblemParts {
  code: string;
  status: number;
  title: string;
  detail: string;
  errors: FieldProblem[];
}

function partsOf(err: DomainError): ProblemParts {
  return { code: err.code, ...problemKindOf(err.code), detail: err.message, errors: fieldProblemsOf(err) };
}

/** The RFC 9457 body; `requestId` is also the response's X-Request-Id, to find the request in the logs. */
function bodyOf(p: ProblemParts, instance: string, requestId: string | undefined) {
  return {
    type: `https://medpay.dev/problems/${p.code}`,
    code: p.code,
    title: p.title,
    status: p.status,
    detail: p.detail,
    instance,
    ...(requestId ? { requestId } : {}),
    ...(p.errors.length > 0 ? { errors: p.errors } : {}),
  };
}

function respond(p: ProblemParts, instance: string, requestId: string | undefined): Response {
  return new Response(JSON.stringify(bodyOf(p, instance, requestId)), {
    status: p.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...(requestId ? { "x-request-id": requestId } : {}) },
  });
}

export function problemResponse(err: DomainError, instance: string, requestId?: string): Response {
  return respond(partsOf(err), instance, requestId);
}

/** Hono's own exceptions (e.g. a body that is not JSON) in the same shape as ours. */
function partsOfHttpException(err: HTTPException): ProblemParts {
  if (err.status === 400) {
    return partsOf(new ValidationProblem([{ field: "(body)", reason: err.message || "malformed request body" }], err.message || "The request body could not be read."));
  }
  if (err.status === 413) return { code: "payload-too-large", status: 413, title: "Payload too large", detail: err.message || "The request body is too large.", errors: [] };
  return { code: "error", status: err.status, title: "Error", detail: err.message || "The request failed.", errors: [] };
}

const INTERNAL: ProblemParts = { code: "internal", status: 500, title: "Internal error", detail: "The server failed to handle the request.", errors: [] };

/** The one error handler: domain errors by their code, anything else as an opaque 500. */
export function handleError(err: Error, c: Context): Response {
  const instance = new URL(c.req.url).pathname;
  const requestId = (c.var as { requestId?: string }).requestId;
  if (err instanceof DomainError) return problemResponse(err, instance, requestId);
  if (err instanceof HTTPException) return respond(partsOfHttpException(err), instance, requestId);
  if (err.name === "ZodError") return problemResponse(problemFromZod(err as ZodError), instance, requestId);
  console.error("unhandled error", requestId, err);
  return respond(INTERNAL, instance, requestId);
}
