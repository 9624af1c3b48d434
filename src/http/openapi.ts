import { OpenAPIHono } from "@hono/zod-openapi";
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
