import { z } from "@hono/zod-openapi";

/** The RFC 9457 body of every error response. */
export const problemSchema = z
  .object({
    type: z.string(),
    code: z.string().openapi({ description: "the domain condition, e.g. `no-parameters`, `run-in-progress`; one code always answers the same status" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string().optional().openapi({ description: "this request's id, also sent as the X-Request-Id header" }),
    errors: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
  })
  .openapi("Problem");

/** An error response documented with the problem+json schema every error body follows. */
export const problemContent = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

/** Error responses shared by authenticated routes. */
export const authErrors = {
  401: problemContent("No API key, or an unknown or revoked one."),
  403: problemContent("The key's role may not use this operation."),
  404: problemContent("No such resource, or it belongs to another tenant."),
} as const;

export const writeErrors = {
  ...authErrors,
  400: problemContent("The request does not satisfy the schema; `errors` names each field and reason."),
  413: problemContent("The request body is over the route's size limit."),
} as const;

export const securedBy = [{ bearer: [] as string[] }];

export const jsonContent = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
