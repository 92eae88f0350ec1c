import { join } from "node:path";
import { createContainer, type Container } from "../../src/app/container";
import type { ConfigLayer } from "../../src/app/config/config-schema";
import { ensureServerToken } from "../../src/app/daemon/server-token";
import type { JobHandler } from "../../src/app/runner/job-handler";
import type { PromptPurpose } from "../../src/core/domain/job";
import type { BlobPort } from "../../src/core/ports/blob-port";
import { type RunningDaemon, startDaemon } from "../../src/server/start-daemon";
import type { ServerDeps } from "../../src/server/server-deps";
import { makeTempDir } from "./temp-home";

export interface TestDaemon extends RunningDaemon {
  container: Container;
  token: string;
  home: string;
  /** A temp directory: the served root by default. */
  dir: string;
  /** fetch() against the daemon with the bearer token (unless headers say otherwise). */
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A real daemon (container, store, spool, registered job handlers, runner, fastify on 127.0.0.1:0) on a temp home. */
export async function startTestDaemon(
  options: {
    env?: Record<string, string>;
    flags?: ConfigLayer;
    handlers?: Partial<Record<PromptPurpose, JobHandler>> | ((container: Container) => Partial<Record<PromptPurpose, JobHandler>>);
    roots?: string[];
    corsOrigins?: string[];
    sse?: ServerDeps["sse"];
    blobs?: Pick<BlobPort, "open" | "has">;
  } = {},
): Promise<TestDaemon> {
  const temp = makeTempDir("grompt-daemon-");
  const env = { GROMPT_HOME: join(temp.dir, "home"), XDG_CONFIG_HOME: join(temp.dir, "config"), HOME: temp.dir, ...options.env };
  const container = createContainer({ cwd: temp.dir, env, flags: options.flags });
  const { token } = ensureServerToken({ home: container.home, configured: container.config.server.token });
  // The registered handlers (craft, ...) unless a test brings its own.
  const handlers = typeof options.handlers === "function" ? options.handlers(container) : (options.handlers ?? (await container.jobHandlers()));
  const daemon = await startDaemon(container, {
    host: "127.0.0.1",
    port: 0,
    token,
    roots: options.roots ?? [temp.dir],
    corsOrigins: options.corsOrigins ?? [],
    handlers,
    blobs: options.blobs ?? container.blobs,
    version: "test",
    sse: options.sse,
  });
  return {
    ...daemon,
    container,
    token,
    home: container.home,
    dir: temp.dir,
    request: (path, init = {}) =>
      fetch(`${daemon.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers } }),
    async close() {
      await daemon.stop();
      await container.close();
      temp.cleanup();
    },
  };
}
