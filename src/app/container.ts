import { join, resolve } from "node:path";
import { createPinoLogger } from "../adapters/metering/pino-logger";
import type { SqliteHandle } from "../adapters/store/sqlite/open-database";
import type { LoggerPort } from "../core/ports/logger-port";
import type { ConfigLayer, GromptConfig } from "./config/config-schema";
import { loadConfig } from "./config/load-config";
import { type PromptRegistry, loadPromptRegistry } from "./prompts/load-prompt-registry";
import { type PromptDirectory, promptDirectories } from "./prompts/prompt-directories";
import type { ProviderService } from "./providers/provider-service";
import { wireProviders } from "./providers/provider-wiring";

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
  /** Where prompts load from, lowest precedence first: built-in < user < project. */
  promptDirectories: PromptDirectory[];
  /** The prompt registry, loaded on first use; throws `prompt_invalid` for a broken prompt file. */
  prompts(): PromptRegistry;
  /** Providers by name: `await providers.resolve({ provider: "openai:gpt-4.1-mini" })` is policy-wrapped. */
  readonly providers: ProviderService;
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
  const prompts = promptDirectories({ projectRoot: loaded.projectRoot ?? resolve(options.cwd), env: options.env });
  let registry: PromptRegistry | undefined;
  let database: Promise<SqliteHandle> | undefined;
  const openDatabase = () =>
    (database ??= import("../adapters/store/sqlite/open-database").then(async ({ openSqliteDatabase }) => {
      const handle = await openSqliteDatabase(join(home, "grompt.db"));
      closers.push(() => handle.close());
      return handle;
    }));
  let providers: ProviderService | undefined;
  return {
    config,
    home,
    projectRoot: loaded.projectRoot,
    configFiles: loaded.files,
    logger,
    promptDirectories: prompts,
    prompts: () => (registry ??= loadPromptRegistry(prompts)),
    get providers() {
      return (providers ??= wireProviders({ config, logger, database: openDatabase }));
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
