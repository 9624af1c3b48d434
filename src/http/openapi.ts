import { OpenAPIHono, type z } from "@hono/zod-openapi";

type ZodType = z.ZodType;
import type { AppEnv } from "../env";
import { problemFromZod } from "./problem";

/**
 * A router whose request validation failures become problem+json with the
 * failing field, the same as every other error. All routers are made here so
 * that every route lands in the OpenAPI document.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw problemFromZod(result.error, result.target);
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

/**
 * A vocabulary schema (src/payment/vocabulary.ts, plain zod) with OpenAPI
 * metadata. zod 4 gives a schema its methods when it is made, and the pure
 * layer's schemas are made before @hono/zod-openapi adds `.openapi`, so the
 * metadata goes on a copy (which keeps the original's description).
 */
export function documented<T extends ZodType>(schema: T, metadata: { description?: string; example?: z.output<T> }): T {
  return schema.clone().openapi(metadata) as T;
}
