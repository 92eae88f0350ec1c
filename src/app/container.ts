import { join } from "node:path";
import { createFilesystemBlobStore } from "../adapters/blob/filesystem/create-filesystem-blob-store";
import { createPinoLogger } from "../adapters/metering/pino-logger";
import { createLookatniSnapshot } from "../adapters/snapshot/create-lookatni-snapshot";
import type { BlobPort } from "../core/ports/blob-port";
import type { LoggerPort } from "../core/ports/logger-port";
import type { SnapshotPort } from "../core/ports/snapshot-port";
import type { ConfigLayer, GromptConfig } from "./config/config-schema";
import { loadConfig } from "./config/load-config";
import { openTokenCounting } from "./snapshot/token-counting";

export interface ContainerOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Config values from command-line flags (the top layer). */
  flags?: ConfigLayer;
  /** Pretty logs on stderr as well as the JSON file. */
  verbose?: boolean;
}

/**
 * The composition root: the one place that knows which adapter implements which port. The CLI and
 * the server get everything from here, so `grompt evolve` and `POST /v1/jobs/evolve` run the same code.
 */
export interface Container {
  config: GromptConfig;
  home: string;
  projectRoot?: string;
  configFiles: string[];
  logger: LoggerPort;
  /** Content-addressed artifact store in `$GROMPT_HOME/artifacts` (created on first use). */
  readonly blobs: BlobPort;
  /** Deterministic snapshots of working trees: manifest.json, snapshot.latx, snapshot.zip. */
  readonly snapshots: SnapshotPort;
  /** Releases every resource the container opened. */
  close(): Promise<void>;
}

export function createContainer(options: ContainerOptions): Container {
  const loaded = loadConfig({ cwd: options.cwd, env: options.env, flags: options.flags });
  const { config, home } = loaded;
  const logger = createPinoLogger({
    logDir: join(home, "logs"),
    level: options.verbose === true && config.logging.level === "info" ? "debug" : config.logging.level,
    pretty: options.verbose === true && process.stderr.isTTY,
    secrets: knownSecrets(config),
  });
  const closers: (() => Promise<void>)[] = [];
  let blobs: BlobPort | undefined;
  let snapshots: SnapshotPort | undefined;
  return {
    config,
    home,
    projectRoot: loaded.projectRoot,
    configFiles: loaded.files,
    logger,
    get blobs() {
      return (blobs ??= createFilesystemBlobStore({ root: join(home, "artifacts") }));
    },
    get snapshots() {
      return (snapshots ??= createLookatniSnapshot({ openTokenCounting }));
    },
    async close() {
      for (const close of closers.reverse()) await close();
      logger.flush();
    },
  };
}

/** Every configured secret, so the logger can scrub exact values wherever they appear. */
function knownSecrets(config: GromptConfig): string[] {
  const providerKeys = Object.values(config.providers).map((p) => p.apiKey);
  return [...providerKeys, config.server.token].filter((s): s is string => s !== undefined);
}
