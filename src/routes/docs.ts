import { createRoute, z } from "@hono/zod-openapi";
import pkg from "../../package.json";
import { createRouter } from "../http/openapi";

/*
 * The API documentation page. Swagger UI loads its assets from a CDN by default,
 * which is a blank page offline (STACK.md): here every asset comes from this
 * Worker. The two swagger-ui-dist files are bundled as Text modules
 * (wrangler.toml [[rules]]), so `wrangler dev`, `wrangler deploy` and the
 * vitest pool all read them straight from node_modules, with no build step.
 * They are imported on first request, not at module load, so that Node tools
 * importing the app (scripts, OpenAPI export) do not trip over a CSS file.
 */

export const OPENAPI_PATH = "/openapi.json";
const ASSET_BASE = "/docs/assets";

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>medpay API ${pkg.version}</title>
<link rel="stylesheet" href="${ASSET_BASE}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${ASSET_BASE}/swagger-ui-bundle.js"></script>
<script src="${ASSET_BASE}/init.js"></script>
</body>
</html>
`;

// A separate script instead of an inline one, so the page also works under a strict CSP.
const init = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_PATH)},
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
`;

const assets = {
  "swagger-ui.css": { body: async () => (await import("swagger-ui-dist/swagger-ui.css")).default, type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { body: async () => (await import("swagger-ui-dist/swagger-ui-bundle.js")).default, type: "text/javascript; charset=utf-8" },
  "init.js": { body: async () => init, type: "text/javascript; charset=utf-8" },
} as const;
const assetNames = Object.keys(assets) as [keyof typeof assets, ...(keyof typeof assets)[]];

const docsPage = createRoute({
  method: "get",
  path: "/docs",
  tags: ["system"],
  summary: "This API's documentation (Swagger UI; every asset is served by the Worker, no CDN)",
  responses: { 200: { description: "The documentation page.", content: { "text/html": { schema: z.string() } } } },
});

const docsAsset = createRoute({
  method: "get",
  path: `${ASSET_BASE}/{name}`,
  tags: ["system"],
  summary: "A static asset of the documentation page",
  request: { params: z.object({ name: z.enum(assetNames) }) },
  responses: {
    200: {
      description: "The asset.",
      content: { "text/css": { schema: z.string() }, "text/javascript": { schema: z.string() } },
    },
    400: { description: "No such asset." },
  },
});

// The assets change only with the package version: let browsers keep them for a day.
const ASSET_CACHE = "public, max-age=86400";

export const docsRoutes = createRouter()
  .openapi(docsPage, (c) => c.html(page, 200))
  .openapi(docsAsset, async (c) => {
    const asset = assets[c.req.valid("param").name];
    return c.body(await asset.body(), 200, { "content-type": asset.type, "cache-control": ASSET_CACHE });
  });
