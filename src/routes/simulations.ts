import { createRoute, z } from "@hono/zod-openapi";
import { authenticate, requireRole } from "../auth/middleware";
import { createRouter } from "../http/openapi";
import { jsonContent, securedBy, writeErrors, problemContent } from "../http/schemas";
import { scenarioSchema, simulate } from "../payment";

const route = createRoute({
  method: "post",
  path: "/v1/simulations",
  tags: ["simulation"],
  summary: "What-if simulation of a scenario document (agency)",
  description:
    "Takes the scenario format of `npm run simulate` (fixtures/scenarios/README.md; JSON Schema in fixtures/scenarios/scenario.schema.json) and returns the same result: per-episode points and classes, per-hospital month lines, point values, budget accounts and clearing. Nothing is stored. A scenario that the rules cannot price (e.g. an episode of a DRG without a weight) is a 422 naming the field.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: { body: { content: { "application/json": { schema: scenarioSchema } }, required: true } },
  responses: {
    200: jsonContent(z.record(z.string(), z.unknown()).openapi("SimulationResult"), "The simulation result."),
    ...writeErrors,
    422: problemContent("The scenario is well-formed but the rules cannot apply to it; `errors` names each field."),
  },
});

export const simulationRoutes = createRouter().openapi(route, (c) => {
  const result = simulate(c.req.valid("json"));
  c.set("auditDetail", { scenario: result.scenario });
  return c.json(result as unknown as Record<string, unknown>, 200);
});
