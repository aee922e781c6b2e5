// `npm run serve`: configuration from the environment, listen, and a clean stop on SIGINT/SIGTERM (runs
// still going are stopped and marked "interrupted by shutdown", status files flushed). Exit codes follow
// the CLI's: 2 for a bad configuration, 70 for anything unexpected.

import { buildApp } from "./app.ts";
import { ConfigError, configFromEnv, ENV_VARS } from "./config.ts";

const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70;
/** A stop that takes longer than this (a stuck close) ends the process anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof configFromEnv>;
  try {
    config = configFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const help = Object.entries(ENV_VARS)
      .map(([name, what]) => `  ${name.padEnd(24)}${what}`)
      .join("\n");
    process.stderr.write(`hintmig serve: ${error.message}\n\nEnvironment:\n${help}\n`);
    process.exitCode = EXIT_USAGE;
    return;
  }

  const app = await buildApp({ config, logger: { level: process.env.HINTMIG_LOG_LEVEL ?? "info" } });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: stopping`);
    setTimeout(() => {
      app.log.error("stop took too long; exiting");
      process.exit(EXIT_INTERNAL);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, "error while stopping");
        process.exit(EXIT_INTERNAL);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    `reports in ${config.reportsDir}; ${config.threads} worker thread(s); ` +
      (config.token === null ? "no token" : "bearer token required"),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `hintmig serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(EXIT_INTERNAL);
});
