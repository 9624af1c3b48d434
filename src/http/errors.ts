/**
 * Shorthands for the request-level conditions that src/http, src/auth and the
 * routes raise. They are domain errors like any other: the status comes from
 * the one table in error-codes.ts, never from the thrower.
 */
import { DomainError, type FieldProblem } from "../payment/errors";

/** Field problems as domain issues (the HTTP body says `reason`, the domain `message`). */
const asIssues = (errors: readonly FieldProblem[]) => errors.map((e) => ({ field: e.field, message: e.reason }));

export class ValidationProblem extends DomainError {
  constructor(errors: FieldProblem[], detail = "The request does not satisfy the schema.") {
    super("invalid-request", detail, asIssues(errors));
  }
}

export class UnauthorizedProblem extends DomainError {
  constructor(detail = "An API key is required: send `Authorization: Bearer <key>`.") {
    super("unauthorized", detail);
  }
}

export class ForbiddenProblem extends DomainError {
  constructor(detail: string) {
    super("forbidden", detail);
  }
}

/** Also used for another tenant's resources, so that their existence is not disclosed. */
export class NotFoundProblem extends DomainError {
  constructor(detail = "No such resource.") {
    super("not-found", detail);
  }
}

export class PayloadTooLargeProblem extends DomainError {
  constructor(limitBytes: number) {
    super("payload-too-large", `The request body exceeds the limit of ${limitBytes} bytes for this route.`);
  }
}

export class UnsupportedMediaTypeProblem extends DomainError {
  constructor(detail: string) {
    super("unsupported-media-type", detail);
  }
}
