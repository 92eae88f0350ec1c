import { GromptError } from "../../core/domain/errors";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { ModelProvider } from "../../core/ports/provider-port";
import type { GromptConfig } from "../config/config-schema";

export interface ProviderFactoryContext {
  /** The model asked for; the factory uses its configured default when undefined. */
  model?: string;
  config: GromptConfig;
  logger?: LoggerPort;
  /** The cassette a stand-in answers from (`--cassette`). */
  cassette?: string;
}

/** Builds a provider bound to one model. It must fail before any work when it cannot be used. */
export type ProviderFactory = (context: ProviderFactoryContext) => Promise<ModelProvider>;

/** What `grompt providers list` shows about a registered name. */
export interface ProviderListing {
  name: string;
  configured: boolean;
  reason: string;
  defaultModel?: string;
  baseUrl?: string;
}

export interface ProviderRegistry {
  /** Adds a provider under a name (`providers.register("anthropic", factory)`); names are unique. */
  register(name: string, factory: ProviderFactory, describe?: (config: GromptConfig) => Omit<ProviderListing, "name">): void;
  /** Registered names, in registration order. */
  names(): string[];
  /** Splits "name:model" (the model may itself hold colons, as Ollama tags do) and checks the name. */
  parse(spec: string): { name: string; model?: string };
  /** Builds the provider a spec names. */
  create(spec: string, context: ProviderFactoryContext): Promise<ModelProvider>;
  /** Status of every registered name. */
  list(config: GromptConfig): ProviderListing[];
}

const validName = /^[a-z][a-z0-9_-]*$/;

/** The plugin registry. Nothing is found by scanning: the composition root registers each provider. */
export function createProviderRegistry(): ProviderRegistry {
  const entries = new Map<string, { factory: ProviderFactory; describe?: (config: GromptConfig) => Omit<ProviderListing, "name"> }>();

  const parse = (spec: string): { name: string; model?: string } => {
    const colon = spec.indexOf(":");
    const name = (colon < 0 ? spec : spec.slice(0, colon)).trim().toLowerCase();
    const model = colon < 0 ? undefined : spec.slice(colon + 1).trim();
    if (!entries.has(name)) {
      const known = [...entries.keys()].join(", ");
      throw new GromptError("provider_unknown", `No provider is registered as "${name}"; known providers: ${known}`, {
        hint: "Use one of the known names, optionally with a model: openai:gpt-4.1-mini.",
        details: { name, known: [...entries.keys()] },
      });
    }
    if (model === "") throw new GromptError("invalid_input", `"${spec}" names no model after the colon`, { hint: "Write provider:model, or just the provider." });
    return model === undefined ? { name } : { name, model };
  };

  return {
    register(name, factory, describe) {
      if (!validName.test(name)) {
        throw new GromptError("invalid_input", `"${name}" is not a valid provider name`, { hint: "Use lower-case letters, digits, - and _." });
      }
      if (entries.has(name)) throw new GromptError("invalid_input", `A provider is already registered as "${name}"`);
      entries.set(name, { factory, describe });
    },
    names: () => [...entries.keys()],
    parse,
    async create(spec, context) {
      const { name, model } = parse(spec);
      const entry = entries.get(name);
      if (entry === undefined) throw new GromptError("provider_unknown", `No provider is registered as "${name}"`);
      return entry.factory({ ...context, model: context.model ?? model });
    },
    list: (config) =>
      [...entries.entries()].map(([name, entry]) => ({
        name,
        ...(entry.describe?.(config) ?? { configured: true, reason: "registered plugin" }),
      })),
  };
}
