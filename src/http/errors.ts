/**
 * Typed errors that any layer may throw; the one error handler (http/problem.ts)
 * turns them into RFC 9457 problem+json responses.
 */
export interface FieldProblem {
  /** JSON path of the failing field, e.g. `episodes[3].principalDx`. */
  field: string;
  reason: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail);
  }
}

export class ValidationProblem extends HttpProblem {
  constructor(errors: FieldProblem[], detail = "The request does not satisfy the schema.") {
    super(400, "Invalid request", detail, errors);
  }
}

export class UnauthorizedProblem extends HttpProblem {
  constructor(detail = "An API key is required: send `Authorization: Bearer <key>`.") {
    super(401, "Unauthorized", detail);
  }
}

export class ForbiddenProblem extends HttpProblem {
  constructor(detail: string) {
    super(403, "Forbidden", detail);
  }
}

/** Also used for another tenant's resources, so that their existence is not disclosed. */
export class NotFoundProblem extends HttpProblem {
  constructor(detail = "No such resource.") {
    super(404, "Not found", detail);
  }
}

export class ConflictProblem extends HttpProblem {
  constructor(detail: string) {
    super(409, "Conflict", detail);
  }
}

export class PayloadTooLargeProblem extends HttpProblem {
  constructor(limitBytes: number) {
    super(413, "Payload too large", `The request body exceeds the limit of ${limitBytes} bytes for this route.`);
  }
}

export class UnsupportedMediaTypeProblem extends HttpProblem {
  constructor(detail: string) {
    super(415, "Unsupported media type", detail);
  }
}
