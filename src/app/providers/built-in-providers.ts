import { createAnthropicProvider } from "../../adapters/providers/anthropic/anthropic-provider";
import { createGeminiProvider } from "../../adapters/providers/gemini/gemini-provider";
import { createOpenAIProvider } from "../../adapters/providers/openai/openai-provider";
import { createReplayProvider } from "../../adapters/providers/replay/replay-provider";
import { GromptError } from "../../core/domain/errors";
import type { ProviderRegistry } from "./provider-registry";
import { resolveVendorSettings, vendorStatus } from "./vendor-config";

/**
 * The providers grompt ships, registered explicitly by the composition root (no autoloading).
 * Each vendor factory checks its configuration before loading its SDK.
 */
export function registerBuiltInProviders(registry: ProviderRegistry): void {
  const vendorListing = (vendor: "openai" | "anthropic" | "gemini") => (config: Parameters<typeof vendorStatus>[1]) => {
    const status = vendorStatus(vendor, config);
    return { configured: status.configured, reason: status.reason, defaultModel: status.defaultModel, baseUrl: status.baseUrl };
  };
  registry.register("openai", (context) => createOpenAIProvider(resolveVendorSettings("openai", context.config, context)), vendorListing("openai"));
  registry.register("anthropic", (context) => createAnthropicProvider(resolveVendorSettings("anthropic", context.config, context)), vendorListing("anthropic"));
  registry.register("gemini", (context) => createGeminiProvider(resolveVendorSettings("gemini", context.config, context)), vendorListing("gemini"));
  registry.register(
    "replay",
    async (context) => {
      if (context.cassette === undefined) {
        throw new GromptError("provider_not_configured", "The replay provider answers from a cassette: pass --cassette <file.jsonl>", {
          hint: "Record one with any real provider and --record <file.jsonl>.",
          details: { provider: "replay" },
        });
      }
      return createReplayProvider({ cassette: context.cassette, model: context.model });
    },
    () => ({ configured: true, reason: "answers from --cassette <file.jsonl>: no key, no network" }),
  );
}
