import { realpath, stat } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import type { Container } from "../app/container";
import { createDaemonService } from "../app/daemon/daemon-service";
import { type FloodGauge, createFloodGauge } from "../app/daemon/flood-gauge";
import { tokenScope } from "../app/daemon/server-token";
import type { JobHandler } from "../app/runner/job-handler";
import type { JobRunner } from "../app/runner/job-runner";
import { GromptError } from "../core/domain/errors";
import type { PromptPurpose } from "../core/domain/job";
import type { BlobPort } from "../core/ports/blob-port";
import { buildServer } from "./build-server";
import type { ServerDeps } from "./server-deps";

export interface DaemonOptions {
  host: string;
  port: number;
  /** The bearer token (see ensureServerToken). */
  token: string;
  /** Directories evolve jobs may work in. */
  roots: readonly string[];
  corsOrigins: readonly string[];
  /** What the runner can run: the container's registered job handlers. */
  handlers: Partial<Record<PromptPurpose, JobHandler>>;
  /** Where job artifacts are read from. */
  blobs: Pick<BlobPort, "open" | "has">;
  version: string;
  sse?: ServerDeps["sse"];
}

export interface RunningDaemon {
  app: FastifyInstance;
  /** `http://host:port` actually bound (the port is real even when 0 was asked). */
  url: string;
  runner: JobRunner;
  /** Stops accepting, ends SSE streams with a final event, lets requests finish, hands running jobs back to the queue. */
  stop(): Promise<void>;
}

/** How often expired idempotency keys are swept. */
const sweepMs = 60 * 60_000;

/**
 * `grompt serve`: the HTTP API and the job runner in one process, over one container. The runner
 * starts first, so jobs queued while no daemon ran (or left by a crash) resume at once.
 */
export async function startDaemon(container: Container, options: DaemonOptions): Promise<RunningDaemon> {
  // Admission before execution: under a flood of submissions the runner starts jobs sparingly.
  const submissions = createFloodGauge();
  const runner = await container.runner({ handlers: options.handlers, busy: submissions.flooded });
  const deps = await daemonServerDeps(container, { ...options, submissions, health: () => ({ runningJobs: runner.running() }) });
  const app = await buildServer(deps);
  const { daemon } = deps;
  await runner.start();
  const sweep = () =>
    daemon.expireIdempotencyKeys().catch((error: unknown) => container.logger.warn({ err: error }, "could not delete expired idempotency keys"));
  await sweep();
  const sweeper = setInterval(() => void sweep(), sweepMs);
  sweeper.unref();
  let address: string;
  try {
    address = await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    clearInterval(sweeper);
    await runner.stop();
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new GromptError("usage", `Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}`, {
      hint: code === "EADDRINUSE" ? "Another process uses that port: pick another with --port, or stop it." : "Check --host and --port.",
      cause: error,
    });
  }
  container.logger.info({ url: address, roots: options.roots, handlers: Object.keys(options.handlers) }, "daemon listening");
  let stopping: Promise<void> | undefined;
  return {
    app,
    url: address,
    runner,
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweeper);
        container.logger.info({}, "daemon shutting down");
        await Promise.all([app.close(), runner.stop()]);
        // Every job answered is on the queue before the process ends (a crash leaves that to reconciliation).
        await deps.jobs.flush();
        container.logger.info({}, "daemon stopped");
      })()),
  };
}

/** The server's dependencies, from the container (tests build servers over them with overrides). */
export async function daemonServerDeps(
  container: Container,
  options: Omit<DaemonOptions, "host" | "port" | "handlers"> & { health?: ServerDeps["health"]; submissions?: FloodGauge },
): Promise<ServerDeps> {
  const roots = await realRoots(options.roots);
  const [jobs, store, metrics] = await Promise.all([container.jobs({ spoolAfterCommit: true }), container.store(), container.metrics()]);
  const daemon = createDaemonService({
    config: container.config,
    jobs,
    store,
    providers: container.providers,
    prompts: () => container.prompts(),
    blobs: options.blobs,
    roots,
    submissions: options.submissions,
  });
  return {
    token: options.token,
    scope: tokenScope(options.token),
    jobs,
    daemon,
    metering: container.metering,
    metrics,
    logger: container.logger.child({ component: "server" }),
    limits: { jobsPerMinute: container.config.server.jobsPerMinute },
    corsOrigins: options.corsOrigins,
    sse: options.sse,
    version: options.version,
    health: options.health,
  };
}

/** Real paths of the served roots; each must be an existing directory. */
async function realRoots(roots: readonly string[]): Promise<string[]> {
  return Promise.all(
    roots.map(async (root) => {
      try {
        const real = await realpath(root);
        if ((await stat(real)).isDirectory()) return real;
      } catch {
        // reported below
      }
      throw new GromptError("usage", `--root ${root} is not a directory`, { hint: "Give directories that exist; evolve jobs may only work inside them." });
    }),
  );
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(host);
}
