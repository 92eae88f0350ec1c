import { join, resolve } from "node:path";
import { createFilesystemBlobStore } from "../adapters/blob/filesystem/create-filesystem-blob-store";
import { createPinoLogger } from "../adapters/metering/pino-logger";
import { createFileSpoolQueue } from "../adapters/queue/file-spool/file-spool-queue";
import type { SqliteHandle } from "../adapters/store/sqlite/open-database";
import type { PromptPurpose } from "../core/domain/job";
import type { BlobPort } from "../core/ports/blob-port";
import type { LoggerPort } from "../core/ports/logger-port";
import type { MetricsExporter } from "../core/ports/metering-port";
import type { QueuePort } from "../core/ports/queue-port";
import type { SnapshotPort } from "../core/ports/snapshot-port";
import type { StorePort } from "../core/ports/store-port";
import type { ConfigLayer, GromptConfig } from "./config/config-schema";
import { loadConfig } from "./config/load-config";
import type { JobHandlers } from "./job-handlers";
import { type JobSignals, createJobSignals } from "./jobs/job-signals";
import type { JobUseCases } from "./jobs/job-use-cases";
import { describeText } from "./logging/describe-text";
import { type MeteringHub, createMeteringHub } from "./metering/metering-hub";
import { type PromptRegistry, loadPromptRegistry } from "./prompts/load-prompt-registry";
import { type PromptDirectory, promptDirectories } from "./prompts/prompt-directories";
import type { ProviderService } from "./providers/provider-service";
import { wireProviders } from "./providers/provider-wiring";
import type { JobHandler } from "./runner/job-handler";
import type { JobRunner } from "./runner/job-runner";
import { lazySnapshotPort } from "./snapshot/lazy-snapshot-port";

export interface ContainerOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Config values from command-line flags (the top layer). */
  flags?: ConfigLayer;
  /** Pretty logs on stderr as well as the JSON file. */
  verbose?: boolean;
  /** A process that runs for hours (`grompt serve`): the database checkpoints on a thread of its own. */
  longRunning?: boolean;
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
  /** The process has more urgent work (see JobRunnerDeps.busy). */
  busy?: () => boolean;
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
  jobs(options?: { spoolAfterCommit?: boolean }): Promise<JobUseCases>;
  /** A job runner over this container's store, queue and signals. */
  runner(options: RunnerOptions): Promise<JobRunner>;
  /** The handler of every registered purpose (src/app/job-handlers.ts): `runner({ handlers: await jobHandlers() })`. */
  jobHandlers(): Promise<JobHandlers>;
  /** What may be logged about a prompt or source text: size and sha256, the text only with `logging.prompts`. */
  describeText(text: string): { bytes: number; sha256: string; text?: string };
  /** Where prompts load from, lowest precedence first: built-in < user < project. */
  promptDirectories: PromptDirectory[];
  /** The prompt registry, loaded on first use; throws `prompt_invalid` for a broken prompt file. */
  prompts(): PromptRegistry;
  /** Providers by name: `await providers.resolve({ provider: "openai:gpt-4.1-mini" })` is policy-wrapped. */
  readonly providers: ProviderService;
  /** Metrics and spans of the runner, the providers and the server. */
  metering: MeteringHub;
  /** The Prometheus registry behind `/metrics` (prom-client loaded on first call), fed from here on. */
  metrics(): Promise<MetricsExporter>;
  /** Starts exporting spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; false (and nothing loaded) otherwise. */
  startTracing(): Promise<boolean>;
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
  let metrics: Promise<MetricsExporter> | undefined;
  let tracing: Promise<boolean> | undefined;
  let database: Promise<SqliteHandle> | undefined;
  let store: Promise<StorePort> | undefined;
  let queue: QueuePort | undefined;
  let providers: ProviderService | undefined;
  let blobs: BlobPort | undefined;
  let snapshots: SnapshotPort | undefined;
  let registry: PromptRegistry | undefined;
  let handlers: Promise<JobHandlers> | undefined;
  const prompts = promptDirectories({ projectRoot: loaded.projectRoot ?? resolve(options.cwd), env: options.env });

  // One SQLite handle for the store, the cache and the usage ledger; loaded lazily so that
  // commands which never touch the database start fast.
  const openDatabase = (): Promise<SqliteHandle> =>
    (database ??= import("../adapters/store/sqlite/open-database").then(async ({ openSqliteDatabase }) => {
      const handle = await openSqliteDatabase(paths.database, { backgroundCheckpoints: options.longRunning === true });
      closers.push(() => handle.close());
      return handle;
    }));
  const openStore = (): Promise<StorePort> =>
    (store ??= Promise.all([openDatabase(), import("../adapters/store/sqlite/sqlite-store")]).then(
      ([handle, { createSqliteStore }]) => createSqliteStore(handle),
    ));
  const metering = createMeteringHub({
    logger,
    bumpCounter: async (name) => (await openStore()).bumpCounter?.(name),
  });
  const openQueue = (): QueuePort => {
    queue ??= createFileSpoolQueue({ dir: paths.queue, maxAttempts: config.queue.maxAttempts });
    return queue;
  };

  const openSnapshots = (): SnapshotPort =>
    (snapshots ??= lazySnapshotPort(async () => {
      const [{ createLookatniSnapshot }, { openTextAnalysis }, { createTokenCountCache }, { o200kCounterId }] = await Promise.all([
        import("../adapters/snapshot/create-lookatni-snapshot"),
        import("./snapshot/text-analysis"),
        import("../adapters/snapshot/token-count-cache"),
        import("./snapshot/count-o200k-tokens"),
      ]);
      const tokenCounts = createTokenCountCache({ path: join(home, "token-counts.bin"), tokenizer: o200kCounterId() });
      return createLookatniSnapshot({ openTextAnalysis: (bytes, clock, known) => openTextAnalysis(bytes, clock, { known }), tokenCounts });
    }));
  const loadPrompts = (): PromptRegistry => (registry ??= loadPromptRegistry(prompts));
  const openBlobs = (): BlobPort => (blobs ??= createFilesystemBlobStore({ root: paths.artifacts }));
  const openProviders = (): ProviderService =>
    (providers ??= wireProviders({
      config,
      logger,
      database: openDatabase,
      store: openStore,
      metering,
      onClose: (work) => closers.push(work),
    }));

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
    jobs: async (options = {}) => {
      const [store, { createJobUseCases }, { createJobOutbox }] = await Promise.all([openStore(), import("./jobs/job-use-cases"), import("./jobs/job-outbox")]);
      // The daemon's: a job's spool entry follows its answer (see job-outbox.ts).
      const onError = (err: Error, jobIds: string[]) => logger.error({ err, job_ids: jobIds }, "could not put jobs on the queue; retrying");
      const outbox = options.spoolAfterCommit === true ? createJobOutbox({ queue: openQueue, signals, onError }) : undefined;
      return createJobUseCases({ store, queue: openQueue, signals, outbox });
    },
    runner: async (runner) => {
      const [store, { createJobRunner }] = await Promise.all([openStore(), import("./runner/job-runner")]);
      return createJobRunner({ store, queue: openQueue(), logger, config, signals, metering, ...runner });
    },
    jobHandlers() {
      // Every handler's code (evolve's checks, craft, snapshots) loads only for a command that runs jobs.
      return (handlers ??= Promise.all([openStore(), import("./job-handlers")]).then(([store, { createJobHandlerRegistry, registerJobHandlers }]) =>
        registerJobHandlers(createJobHandlerRegistry()).create({ config, logger, store, blobs: openBlobs(), prompts: loadPrompts, providers: openProviders(), snapshots: openSnapshots(), home }),
      ));
    },
    describeText: (text) => describeText(text, config.logging.prompts),
    promptDirectories: prompts,
    prompts: loadPrompts,
    get providers() {
      return openProviders();
    },
    metering,
    metrics: () =>
      (metrics ??= Promise.all([openStore(), import("../adapters/metering/prometheus-metering"), import("../adapters/metering/otel-tracer"), import("./metering/store-metrics-source")]).then(
        ([store, { createPrometheusMetering }, { createOtelTracer }, { createStoreMetricsSource }]) => {
          const exporter = createPrometheusMetering({ persisted: createStoreMetricsSource(store), tracer: createOtelTracer() });
          metering.attach(exporter);
          return exporter;
        },
      )),
    startTracing: () =>
      (tracing ??= import("../adapters/metering/otel-sdk").then(async ({ otlpTracesRequested, startOtelSdk }) => {
        if (!otlpTracesRequested(options.env)) return false;
        const [sdk, { createOtelTracer }] = await Promise.all([startOtelSdk({ name: "grompt" }), import("../adapters/metering/otel-tracer")]);
        metering.useTracer(createOtelTracer());
        // Closed last: spans of the other resources' shutdown still get exported.
        closers.unshift(() => sdk.shutdown());
        return true;
      })),
    get blobs() {
      return openBlobs();
    },
    get snapshots() {
      return openSnapshots();
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
