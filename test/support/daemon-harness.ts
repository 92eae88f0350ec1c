import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
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

/** A real daemon (container, store, spool, runner, fastify on 127.0.0.1:0) on a temp home. */
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
  const handlers = typeof options.handlers === "function" ? options.handlers(container) : (options.handlers ?? {});
  const daemon = await startDaemon(container, {
    host: "127.0.0.1",
    port: 0,
    token,
    roots: options.roots ?? [temp.dir],
    corsOrigins: options.corsOrigins ?? [],
    handlers,
    blobs: options.blobs ?? createMemoryBlobs(),
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

/** Content-addressed blobs in memory. */
export function createMemoryBlobs(): BlobPort & { bytes: Map<string, Uint8Array> } {
  const bytes = new Map<string, Uint8Array>();
  const put = async (data: Uint8Array | string) => {
    const buffer = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
    const sha256 = createHash("sha256").update(buffer).digest("hex");
    bytes.set(sha256, buffer);
    return { sha256, bytes: buffer.length, url: `memory:${sha256}` };
  };
  const get = async (sha256: string) => {
    const found = bytes.get(sha256);
    if (found === undefined) throw new Error(`no blob ${sha256}`);
    return found;
  };
  return {
    bytes,
    put,
    putFile: async (path) => put(await readFile(path)),
    get,
    async *open(sha256) {
      const whole = await get(sha256);
      for (let offset = 0; offset < whole.length; offset += 4096) yield whole.subarray(offset, offset + 4096);
    },
    has: async (sha256) => bytes.has(sha256),
    localPath: () => undefined,
  };
}
