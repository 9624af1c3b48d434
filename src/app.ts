import { requestId } from "hono/request-id";
import { databaseFor } from "./db/client";
import type { AppEnv } from "./env";
import { auditWrites } from "./http/audit";
import { withClock } from "./http/clock";
import { limitBody } from "./http/body-limit";
import { NotFoundProblem } from "./http/errors";
import { createRouter } from "./http/openapi";
import pkg from "../package.json";
import { handleError, problemResponse } from "./http/problem";
import { pageRoutes } from "./pages/routes";
import { auditRoutes } from "./routes/audit";
import { budgetRoutes } from "./routes/budgets";
import { claimRoutes } from "./routes/claims";
import { enrolmentRoutes } from "./routes/enrolments";
import { settlementRoutes } from "./routes/settlements";
import { clearingRoutes } from "./routes/clearings";
import { scoreRoutes } from "./routes/scores";
import { consortiumRoutes } from "./routes/consortia";
import { docsRoutes, OPENAPI_PATH } from "./routes/docs";
import { drgRoutes } from "./routes/drgs";
import { previewRoutes } from "./routes/preview";
import { grouperRoutes } from "./routes/grouper";
import { healthRoutes } from "./routes/health";
import { hospitalRoutes } from "./routes/hospitals";
import { keyRoutes } from "./routes/keys";
import { meRoutes } from "./routes/me";
import { regionRoutes } from "./routes/regions";
import { simulationRoutes } from "./routes/simulations";
import { supervisionRoutes } from "./routes/supervision";

/** The HTTP application: shared middleware, then one router per resource. */
export function createApp() {
  const app = createRouter();
  // Every response carries X-Request-Id (the caller's own when it sent a valid one); problems repeat it as `requestId`.
  app.use("*", requestId());
  app.use("*", async (c, next) => {
    c.set("db", databaseFor(c.env.DB));
    await next();
  });
  app.use("*", withClock);
  app.use("/v1/*", limitBody);
  app.use("/v1/*", auditWrites);

  const routes = app
    .route("/", healthRoutes)
    .route("/", meRoutes)
    .route("/", regionRoutes)
    .route("/", hospitalRoutes)
    .route("/", consortiumRoutes)
    .route("/", keyRoutes)
    .route("/", auditRoutes)
    .route("/", simulationRoutes)
    .route("/", previewRoutes)
    .route("/", drgRoutes)
    .route("/", docsRoutes)
    .route("/", grouperRoutes)
    .route("/", budgetRoutes)
    .route("/", claimRoutes)
    .route("/", enrolmentRoutes)
    .route("/", settlementRoutes)
    .route("/", clearingRoutes)
    .route("/", scoreRoutes)
    .route("/", supervisionRoutes);
  // Dashboard pages (HTML, cookie session): outside the OpenAPI document.
  app.route("/", pageRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  // The document is generated from the same zod schemas that validate requests: never a hand-kept copy.
  app.doc31(OPENAPI_PATH, (c) => ({
    openapi: "3.1.0",
    info: {
      title: "medpay API",
      version: pkg.version,
      description:
        "DRG grouping, pricing, settlement and budget tracking for medical-insurance agencies. Every /v1 route takes `Authorization: Bearer <key>`; errors are RFC 9457 problem+json with `errors: [{field, reason}]`. Money is integer fen.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.openAPIRegistry.registerPath({
    method: "get",
    path: OPENAPI_PATH,
    tags: ["system"],
    summary: "This OpenAPI 3.1 document",
    responses: { 200: { description: "The OpenAPI document.", content: { "application/json": { schema: { type: "object" } } } } },
  });
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    return problemResponse(new NotFoundProblem(`No route ${c.req.method} ${path}.`), path, c.var.requestId);
  });
  app.onError(handleError);
  return routes;
}

export type App = ReturnType<typeof createApp>;
export type { AppEnv };
