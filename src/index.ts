import { createApp } from "./app";
import type { Bindings } from "./env";

export { SettlementRunWorkflow } from "./settlement/run-workflow";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Bindings>;
