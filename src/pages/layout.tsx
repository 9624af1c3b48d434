import type { Child } from "hono/jsx";
import type { Principal } from "../auth/principal";
import type { Lang, T } from "./i18n";

export interface PageContext {
  lang: Lang;
  t: T;
  /** The current path with its query, for the language toggle. */
  path: string;
  principal?: Principal;
}

/** Same page in the other language: keeps the query, replaces `lang`. */
function toggleHref(path: string, lang: Lang): string {
  const url = new URL(path, "http://x");
  url.searchParams.set("lang", lang === "zh" ? "en" : "zh");
  return `${url.pathname}${url.search}`;
}

export function Layout(props: { ctx: PageContext; title: string; children: Child; scripts?: string[] }) {
  const { ctx } = props;
  return (
    <html lang={ctx.lang === "zh" ? "zh-CN" : "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · medpay`}</title>
        <link rel="stylesheet" href="/app/assets/app.css" />
        {props.scripts?.length ? <link rel="stylesheet" href="/app/assets/uplot.css" /> : null}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/app">
            {ctx.t("appName")}
          </a>
          <nav>
            <a href={toggleHref(ctx.path, ctx.lang)} hreflang={ctx.lang === "zh" ? "en" : "zh"} data-testid="lang-toggle">
              {ctx.lang === "zh" ? "English" : "中文"}
            </a>
            {ctx.principal ? (
              <form method="post" action="/app/logout">
                <button type="submit">{ctx.t("logout")}</button>
              </form>
            ) : null}
          </nav>
        </header>
        <main>{props.children}</main>
        {props.scripts?.map((src) => <script src={src} defer></script>)}
      </body>
    </html>
  );
}
