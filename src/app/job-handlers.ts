import { GromptError } from "../core/domain/errors";
import type { PromptPurpose } from "../core/domain/job";
import type { BlobPort } from "../core/ports/blob-port";
import type { LoggerPort } from "../core/ports/logger-port";
import type { SnapshotPort } from "../core/ports/snapshot-port";
import type { StorePort } from "../core/ports/store-port";
import type { GromptConfig } from "./config/config-schema";
import { createCraftJobHandler } from "./craft/craft-job-handler";
import { createEvolveJobHandler } from "./evolve/evolve-job-handler";
import type { PromptRegistry } from "./prompts/load-prompt-registry";
import type { ProviderService } from "./providers/provider-service";
import type { JobHandler } from "./runner/job-handler";

/** What a handler factory may use; everything comes from the composition root. */
export interface JobHandlerDeps {
  config: GromptConfig;
  logger: LoggerPort;
  store: StorePort;
  blobs: BlobPort;
  /** The prompt registry (loaded on first use; `prompt_invalid` for a broken file). */
  prompts: () => PromptRegistry;
  providers: ProviderService;
  /** Deterministic snapshots of working trees (evolve). */
  snapshots: SnapshotPort;
  /** `$GROMPT_HOME`: evolve's worktrees and scratch space live under it. */
  home: string;
}

/** Builds the handler of one purpose from the container's dependencies. */
export type JobHandlerFactory = (deps: JobHandlerDeps) => JobHandler;

/** Which handler runs which purpose; the runner's `handlers` option is made from it. */
export type JobHandlers = Partial<Record<PromptPurpose, JobHandler>>;

export interface JobHandlerRegistry {
  /** Registers the factory of one purpose; a second registration for the same purpose is a bug. */
  register(purpose: PromptPurpose, factory: JobHandlerFactory): void;
  /** Purposes with a handler, in registration order. */
  purposes(): PromptPurpose[];
  /** One handler per registered purpose, built over these dependencies. */
  create(deps: JobHandlerDeps): JobHandlers;
}

export function createJobHandlerRegistry(): JobHandlerRegistry {
  const factories = new Map<PromptPurpose, JobHandlerFactory>();
  return {
    register(purpose, factory) {
      if (factories.has(purpose)) throw new GromptError("internal", `a ${purpose} job handler is already registered`);
      factories.set(purpose, factory);
    },
    purposes: () => [...factories.keys()],
    create: (deps) => Object.fromEntries([...factories].map(([purpose, factory]) => [purpose, factory(deps)])),
  };
}

/**
 * Every purpose grompt can run, registered explicitly (no autoloading): the CLI and `grompt serve`
 * start their runners with the handlers made from this list, so a job runs the same code wherever
 * it is picked up. Add a purpose with one line here.
 */
export function registerJobHandlers(registry: JobHandlerRegistry): JobHandlerRegistry {
  registry.register("craft", createCraftJobHandler);
  registry.register("refactor", createEvolveJobHandler);
  return registry;
}
