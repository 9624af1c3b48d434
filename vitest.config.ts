import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: pure code (grouper, payment rules, fixtures) runs in Node; anything
// that touches the Worker runs under workerd with a real local D1. The suffix
// `.worker.test.ts` decides which.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          test: {
            name: "unit",
            environment: "node",
            include: ["test/**/*.test.ts"],
            exclude: ["test/**/*.worker.test.ts", "test/e2e/**"],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, MEDPAY_ENV: "test" },
                compatibilityFlags: ["service_binding_extra_handlers"],
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/**/*.worker.test.ts"],
            // A Workflow run or a 4-chunk upload takes 2–5 s on an idle 2-core machine; shared, it took up to 9 s.
            testTimeout: 30_000,
            hookTimeout: 60_000,
            setupFiles: ["test/support/apply-migrations.ts"],
          },
        },
      ],
    },
  };
});
