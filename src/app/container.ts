import { join } from "node:path";
import { createPinoLogger } from "../adapters/metering/pino-logger";
import { createFileSpoolQueue } from "../adapters/queue/file-spool/file-spool-queue";
import { openSqliteDatabase } from "../adapters/store/sqlite/open-database";
import { createSqliteStore } from "../adapters/store/sqlite/sqlite-store";
import type { PromptPurpose } from "../core/domain/job";
import type { LoggerPort } from "../core/ports/logger-port";
import type { QueuePort } from "../core/ports/queue-port";
import type { StorePort } from "../core/ports/store-port";
import type { ConfigLayer, GromptConfig } from "./config/config-schema";
import { loadConfig } from "./config/load-config";
import { type JobSignals, createJobSignals } from "./jobs/job-signals";
import { type JobUseCases, createJobUseCases } from "./jobs/job-use-cases";
import { describeText } from "./logging/describe-text";
import type { JobHandler } from "./runner/job-handler";
import { type JobRunner, createJobRunner } from "./runner/job-runner";

export interface ContainerOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Config values from command-line flags (the top layer). */
  flags?: ConfigLayer;
  /** Pretty logs on stderr as well as the JSON file. */
  verbose?: boolean;
}

/** Where grompt keeps its data under `$GROMPT_HOME`. */
export interface HomePaths {
  database: string;
  queue: string;
  artifacts: string;
  logs: string;
}

export interface RunnerOptions {
  handlers: Partial<Record<PromptPurpose, JobHandler>>;
  /** Cross-process poll interval (ms). */
  pollMs?: number;
  /** Cut-short runs after which a job is failed instead of resumed. */
  maxStarts?: number;
}

/**
 * The composition root: the one place that knows which adapter implements which port. The CLI and
 * the server get everything from here, so `grompt evolve` and `POST /v1/jobs/evolve` run the same code.
 * The database and the spool open on first use (`config show` touches neither).
 */
export interface Container {
  config: GromptConfig;
  home: string;
  paths: HomePaths;
  projectRoot?: string;
  configFiles: string[];
  logger: LoggerPort;
  /** In-process enqueue / cancel / new-event notifications shared by use cases and runners. */
  signals: JobSignals;
  /** The store, opened (and migrated) on first call. */
  store(): Promise<StorePort>;
  /** The spool, prepared on first call; `queue_unavailable` when its directory cannot be used. */
  queue(): QueuePort;
  /** Job use cases (create, get, show, list, events, follow, cancel). */
  jobs(): Promise<JobUseCases>;
  /** A job runner over this container's store, queue and signals. */
  runner(options: RunnerOptions): Promise<JobRunner>;
  /** What may be logged about a prompt or source text: size and sha256, the text only with `logging.prompts`. */
  describeText(text: string): { bytes: number; sha256: string; text?: string };
  /** Releases every resource the container opened. */
  close(): Promise<void>;
}

export function createContainer(options: ContainerOptions): Container {
  const loaded = loadConfig({ cwd: options.cwd, env: options.env, flags: options.flags });
  const { config, home } = loaded;
  const paths: HomePaths = {
    database: join(home, "grompt.db"),
    queue: join(home, "queue"),
    artifacts: join(home, "artifacts"),
    logs: join(home, "logs"),
  };
  const logger = createPinoLogger({
    logDir: paths.logs,
    level: options.verbose === true && config.logging.level === "info" ? "debug" : config.logging.level,
    pretty: options.verbose === true && process.stderr.isTTY,
    secrets: knownSecrets(config),
  });
  const signals = createJobSignals();
  const closers: (() => Promise<void>)[] = [];
  let store: Promise<StorePort> | undefined;
  let queue: QueuePort | undefined;

  const openStore = (): Promise<StorePort> => {
    store ??= openSqliteDatabase(paths.database).then((handle) => {
      const opened = createSqliteStore(handle);
      closers.push(() => opened.close());
      return opened;
    });
    return store;
  };
  const openQueue = (): QueuePort => {
    queue ??= createFileSpoolQueue({ dir: paths.queue, maxAttempts: config.queue.maxAttempts });
    return queue;
  };

  return {
    config,
    home,
    paths,
    projectRoot: loaded.projectRoot,
    configFiles: loaded.files,
    logger,
    signals,
    store: openStore,
    queue: openQueue,
    jobs: async () => createJobUseCases({ store: await openStore(), queue: openQueue, signals }),
    runner: async (runner) =>
      createJobRunner({ store: await openStore(), queue: openQueue(), logger, config, signals, ...runner }),
    describeText: (text) => describeText(text, config.logging.prompts),
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
