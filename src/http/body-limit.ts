import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { PayloadTooLargeProblem } from "./errors";

/** Documented request-body limits (README, OpenAPI): batch uploads get more room than JSON calls. */
export const BODY_LIMITS = {
  json: 1024 * 1024,
  upload: 32 * 1024 * 1024,
} as const;

const UPLOAD_PATHS = [/^\/v1\/claims$/, /^\/v1\/enrolments$/];

export function bodyLimitFor(path: string): number {
  return UPLOAD_PATHS.some((re) => re.test(path)) ? BODY_LIMITS.upload : BODY_LIMITS.json;
}

const limiters = new Map(
  Object.values(BODY_LIMITS).map((maxSize) => [
    maxSize,
    bodyLimit({
      maxSize,
      onError: () => {
        throw new PayloadTooLargeProblem(maxSize);
      },
    }),
  ]),
);

export const limitBody = createMiddleware<AppEnv>(async (c, next) => {
  const limiter = limiters.get(bodyLimitFor(new URL(c.req.url).pathname));
  return limiter!(c, next);
});
