import { Layout, type PageContext } from "./layout";

export function LoginPage(props: { ctx: PageContext; failed?: boolean }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t("login")}>
      <form class="login card" method="post" action="/app/login">
        <h1>{t("login")}</h1>
        <p class="note">{t("loginHint")}</p>
        {props.failed ? (
          <p class="error" role="alert" data-testid="login-error">
            {t("badKey")}
          </p>
        ) : null}
        <label>
          {t("apiKey")}
          <input type="password" name="key" autocomplete="off" required minlength={8} />
        </label>
        <button type="submit">{t("login")}</button>
      </form>
    </Layout>
  );
}
