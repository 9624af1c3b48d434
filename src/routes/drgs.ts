import { createRoute, z } from "@hono/zod-openapi";
import { authenticate } from "../auth/middleware";
import { searchDrgs } from "../../grouper";
import { weightRowsOf } from "../db/weights";
import { grouperFor } from "../grouping/grouper-for";
import type { DrgEntry, SetView } from "../grouping/set-view";
import { NotFoundProblem } from "../http/errors";
import { DomainError } from "../payment/errors";
import { createRouter } from "../http/openapi";
import { authErrors, jsonContent, securedBy, problemContent } from "../http/schemas";
import { formatRatio4, highThreshold } from "../payment";
import { yearParamSchema } from "../payment/vocabulary";
import { regionEntry, regionYearEntry } from "../preview/cache";

const codeName = z.object({ code: z.string(), name: z.string(), nameEn: z.string() });

const drgSchema = z
  .object({
    code: z.string().openapi({ example: "ES13" }),
    name: z.string(),
    nameEn: z.string(),
    adrg: codeName,
    mdc: codeName,
    suffix: z.string().openapi({ description: "severity suffix: 1 with MCC, 3 with CC, 5 without, 9 not split; regional sets may add others" }),
    setId: z.string(),
    setVersion: z.string(),
    year: z.number().int().nullable().openapi({ description: "the weight table's year; null when the region has none" }),
    weight: z
      .object({
        rw: z.string().openapi({ example: "1.2000" }),
        avgCostFen: z.number().int(),
        avgLosDays: z.string().openapi({ example: "8.5" }),
        perDiemWard: z.string().nullable(),
        highThreshold: z.string().nullable().openapi({ description: "H_d for this RW under the year's parameters (RULES.md §1); null without a parameter set" }),
      })
      .nullable()
      .openapi({ description: "the region's weight for the year; null when the DRG has none" }),
  })
  .openapi("Drg");

const yearQuery = yearParamSchema.optional().openapi({ description: "weight year; default the latest year with weights" });

const getDrg = createRoute({
  method: "get",
  path: "/v1/drgs/{code}",
  tags: ["drgs"],
  summary: "A DRG of the region's definition set with the region's weight, average cost and length of stay (any role of the region)",
  security: securedBy,
  middleware: [authenticate] as const,
  request: { params: z.object({ code: z.string().min(1).max(16).openapi({ example: "ES13" }) }), query: z.object({ year: yearQuery }) },
  responses: { 200: jsonContent(drgSchema, "The DRG."), ...authErrors, 400: problemContent("A query parameter does not satisfy the schema.") },
});

const listDrgs = createRoute({
  method: "get",
  path: "/v1/drgs",
  tags: ["drgs"],
  summary: "Search the region's DRGs by code or by Chinese or English name (any role of the region)",
  security: securedBy,
  middleware: [authenticate] as const,
  request: {
    query: z.object({
      search: z.string().max(100).optional().openapi({ description: "words that must all occur in the code or the Chinese/English name of the DRG or its ADRG, case-insensitive; empty lists all", example: "肺炎" }),
      year: yearQuery,
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: { 200: jsonContent(z.object({ drgs: z.array(drgSchema), total: z.number().int() }), "Matching DRGs in set order."), ...authErrors, 400: problemContent("A query parameter does not satisfy the schema.") },
});


type WeightRow = Awaited<ReturnType<typeof weightRowsOf>> extends Map<string, infer R> ? R : never;

function describe(d: DrgEntry, view: SetView, year: number | null, row: WeightRow | undefined, h: (rw: number) => number | null): z.infer<typeof drgSchema> {
  const named = (n: { code: string; nameZh: string; nameEn: string } | undefined, code: string) => ({ code, name: n?.nameZh ?? code, nameEn: n?.nameEn ?? code });
  const hd = row ? h(row.rw) : null;
  return {
    code: d.code,
    name: d.nameZh,
    nameEn: d.nameEn,
    adrg: named(view.adrg(d.adrg), d.adrg),
    mdc: named(view.mdc(d.mdc), d.mdc),
    suffix: d.suffix,
    setId: view.id,
    setVersion: view.version,
    year,
    weight: row
      ? { rw: formatRatio4(row.rw), avgCostFen: row.avgCostFen, avgLosDays: (row.avgLosTenths / 10).toFixed(1), perDiemWard: row.perDiemWard ?? null, highThreshold: hd === null ? null : formatRatio4(hd) }
      : null,
  };
}

async function lookupContext(c: { var: { db: Parameters<typeof regionEntry>[0]; principal: { regionId: string } } }, year: number | undefined) {
  const region = await regionEntry(c.var.db, c.var.principal.regionId);
  const set = grouperFor(region.definitionSetId);
  if (!set) throw new DomainError("set-not-bundled", `Definition set ${region.definitionSetId} is not bundled.`);
  const y = year ?? region.weightYears[0] ?? null;
  const rows = y === null ? new Map<string, WeightRow>() : await weightRowsOf(c.var.db, region.regionId, y);
  // H_d needs the year's parameters; without a parameter set the weights still show.
  const params = y !== null && rows.size > 0 ? await regionYearEntry(c.var.db, region, y).catch(() => null) : null;
  const h = (rw: number) => (params ? highThreshold(params.parameters, rw) : null);
  return { view: set.view, compiled: set.grouper.set, year: y, rows, h };
}

export const drgRoutes = createRouter()
  .openapi(getDrg, async (c) => {
    const { code } = c.req.valid("param");
    const ctx = await lookupContext(c, c.req.valid("query").year);
    const d = ctx.view.drg(code.toUpperCase()) ?? ctx.view.drg(code);
    if (!d) throw new NotFoundProblem(`No DRG ${code} in definition set ${ctx.view.id} ${ctx.view.version}.`);
    return c.json(describe(d, ctx.view, ctx.year, ctx.rows.get(d.code), ctx.h), 200);
  })
  .openapi(listDrgs, async (c) => {
    const { search, year, limit } = c.req.valid("query");
    const ctx = await lookupContext(c, year);
    // The grouper's catalogue search, so the API, the CLI and the pages find the same DRGs.
    const matches = searchDrgs(ctx.compiled, search ?? "", Number.POSITIVE_INFINITY).map((e) => ctx.view.drg(e.drg)!);
    return c.json({ total: matches.length, drgs: matches.slice(0, limit).map((d) => describe(d, ctx.view, ctx.year, ctx.rows.get(d.code), ctx.h)) }, 200);
  });
