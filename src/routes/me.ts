import { createRoute, z } from "@hono/zod-openapi";
import { authenticate } from "../auth/middleware";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy } from "../http/schemas";
import { roleSchema } from "../payment/vocabulary";

const principalSchema = z
  .object({
    keyId: z.string(),
    role: roleSchema,
    regionId: z.string(),
    hospitalId: z.string().nullable(),
    consortiumId: z.string().nullable(),
  })
  .openapi("Principal");

const route = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["auth"],
  summary: "The role and tenant of the calling key",
  security: securedBy,
  middleware: [authenticate] as const,
  responses: { 200: jsonContent(principalSchema, "Who the key belongs to."), 401: authErrors[401] },
});

export const meRoutes = createRouter().openapi(route, (c) => c.json(c.var.principal, 200));
