import type { Bindings } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      /** Migrations read by vitest.config.ts and applied in test/support/apply-migrations.ts. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
export {};
