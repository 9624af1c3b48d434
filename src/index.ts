import { createApp } from "./app";
import type { Bindings } from "./env";
import { startDueRuns } from "./settlement/schedule";

export { SettlementRunWorkflow } from "./settlement/run-workflow";

const app = createApp();

export default {
  fetch: app.fetch,
  /** Cron (wrangler.toml [triggers]): start the previous month's runs of the regions due today. */
  scheduled(controller, env, ctx) {
    ctx.waitUntil(startDueRuns(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Bindings>;
