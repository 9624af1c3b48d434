import { openDatabase } from "./db/client";
import type { AppEnv } from "./env";
import { auditWrites } from "./http/audit";
import { limitBody } from "./http/body-limit";
import { NotFoundProblem } from "./http/errors";
import { createRouter } from "./http/openapi";
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
import { grouperRoutes } from "./routes/grouper";
import { healthRoutes } from "./routes/health";
import { hospitalRoutes } from "./routes/hospitals";
import { keyRoutes } from "./routes/keys";
import { meRoutes } from "./routes/me";
import { regionRoutes } from "./routes/regions";
import { simulationRoutes } from "./routes/simulations";

/** The HTTP application: shared middleware, then one router per resource. */
export function createApp() {
  const app = createRouter();
  app.use("*", async (c, next) => {
    c.set("db", openDatabase(c.env.DB));
    await next();
  });
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
    .route("/", grouperRoutes)
    .route("/", budgetRoutes)
    .route("/", claimRoutes)
    .route("/", enrolmentRoutes)
    .route("/", settlementRoutes)
    .route("/", clearingRoutes)
    .route("/", scoreRoutes);
  // Dashboard pages (HTML, cookie session): outside the OpenAPI document.
  app.route("/", pageRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.notFound((c) => problemResponse(new NotFoundProblem(`No route ${c.req.method} ${new URL(c.req.url).pathname}.`), new URL(c.req.url).pathname));
  app.onError(handleError);
  return routes;
}

export type App = ReturnType<typeof createApp>;
export type { AppEnv };
