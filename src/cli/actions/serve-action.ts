import { resolve } from "node:path";
import chalk from "chalk";
import type { Command } from "commander";
import type { ConfigLayer } from "../../app/config/config-schema";
import { loadConfig } from "../../app/config/load-config";
import { createContainer } from "../../app/container";
import { ensureServerToken } from "../../app/daemon/server-token";
import { globalOptions } from "../global-options";
import { version } from "../version";

export interface ServeOptions {
  port?: number;
  host?: string;
  corsOrigin?: string[];
  root?: string[];
}

/** `grompt serve`: the HTTP + SSE API and a job runner in this process, until SIGINT or SIGTERM. */
export async function serveAction(options: ServeOptions, command: Command): Promise<void> {
  const { cwd, verbose, logPrompts } = globalOptions(command);
  // Listening from the start: a signal during start-up stops the daemon as soon as it is up.
  const stopSignal = new Promise<NodeJS.Signals>((done) => {
    process.once("SIGINT", () => done("SIGINT"));
    process.once("SIGTERM", () => done("SIGTERM"));
  });
  const server: NonNullable<ConfigLayer["server"]> = {};
  if (options.port !== undefined) server.port = options.port;
  if (options.host !== undefined) server.host = options.host;
  const flags: ConfigLayer = { server, ...(logPrompts === true ? { logging: { prompts: true } } : {}) };
  // The token first, so the container's logger knows it as a secret to scrub.
  const loaded = loadConfig({ cwd, env: process.env, flags });
  const token = ensureServerToken({ home: loaded.home, configured: loaded.config.server.token, warn: (line) => process.stderr.write(`${chalk.yellow("warning")} ${line}\n`) });
  // fastify and the server load here, not at every command's start.
  const { isLoopbackHost, startDaemon } = await import("../../server/start-daemon");
  const container = createContainer({ cwd, env: process.env, verbose, longRunning: true, flags: { ...flags, server: { ...server, token: token.token } } });
  try {
    const { config } = container;
    const tracing = await container.startTracing();
    const roots = options.root === undefined ? [cwd] : options.root.map((root) => resolve(cwd, root));
    const corsOrigins = [...new Set([...config.server.corsOrigins, ...(options.corsOrigin ?? [])])];
    // Every purpose this grompt can run (src/app/job-handlers.ts): the same handlers as the CLI's.
    const handlers = await container.jobHandlers();
    const daemon = await startDaemon(container, { host: config.server.host, port: config.server.port, token: token.token, roots, corsOrigins, handlers, blobs: container.blobs, version });

    if (!isLoopbackHost(config.server.host)) {
      process.stderr.write(
        `${chalk.yellow("warning")} listening on ${config.server.host}, not loopback: anyone who can reach this address and holds the token can run jobs and spend provider credit. Prefer 127.0.0.1 behind a proxy that adds TLS.\n`,
      );
    }
    const tokenPlace = token.source === "config" ? "from GROMPT_TOKEN / server.token" : `${token.file} (${token.source === "generated" ? "generated now" : "mode 0600"})`;
    const banner = [
      `grompt serve listening on ${daemon.url}`,
      chalk.dim(`  token   ${tokenPlace}: send Authorization: Bearer <token>`),
      chalk.dim(`  roots   ${roots.join(", ")}`),
      chalk.dim(`  runs    ${Object.keys(handlers).join(", ") || "no job purposes (jobs wait for a runner that has a handler)"}`),
      ...(corsOrigins.length > 0 ? [chalk.dim(`  cors    ${corsOrigins.join(", ")}`)] : []),
      ...(tracing ? [chalk.dim("  traces  exported over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT)")] : []),
    ];
    // One write, so a reader of the first line has the whole banner.
    process.stdout.write(`${banner.join("\n")}\n`);

    const signal = await stopSignal;
    // A second signal while shutting down means "now".
    const force = () => process.exit(130);
    process.once("SIGINT", force);
    process.once("SIGTERM", force);
    process.stdout.write(`grompt serve: ${signal}, shutting down (running jobs go back to the queue)\n`);
    await daemon.stop();
    process.stdout.write("grompt serve: stopped\n");
  } finally {
    await container.close();
  }
}
