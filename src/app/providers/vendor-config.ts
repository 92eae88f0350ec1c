import type { VendorSettings } from "../../adapters/providers/shared/vendor-settings";
import { GromptError } from "../../core/domain/errors";
import type { LoggerPort } from "../../core/ports/logger-port";
import type { ProviderId } from "../../core/ports/provider-port";
import type { GromptConfig } from "../config/config-schema";
import { isLocalUrl } from "./is-local-url";

/** Public endpoints and the conventional variables for each vendor. */
export const vendors: Record<ProviderId, { defaultBaseUrl: string; keyVariables: string[]; baseUrlVariables: string[] }> = {
  openai: { defaultBaseUrl: "https://api.openai.com/v1", keyVariables: ["OPENAI_API_KEY"], baseUrlVariables: ["OPENAI_BASE_URL"] },
  anthropic: { defaultBaseUrl: "https://api.anthropic.com", keyVariables: ["ANTHROPIC_API_KEY"], baseUrlVariables: ["ANTHROPIC_BASE_URL"] },
  gemini: {
    defaultBaseUrl: "https://generativelanguage.googleapis.com",
    keyVariables: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    baseUrlVariables: ["GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL"],
  },
};

export const isVendor = (name: string): name is ProviderId => Object.hasOwn(vendors, name);

export interface VendorStatus {
  vendor: ProviderId;
  configured: boolean;
  /** Why it is (or is not) usable, in words for `grompt providers list`. */
  reason: string;
  baseUrl: string;
  customEndpoint: boolean;
  defaultModel: string;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "");

/** Whether a vendor can be called with the current config, and why. Reads no secrets out. */
export function vendorStatus(vendor: ProviderId, config: GromptConfig): VendorStatus {
  const settings = config.providers[vendor];
  const baseUrl = trimSlash(settings.baseUrl ?? vendors[vendor].defaultBaseUrl);
  const customEndpoint = baseUrl !== vendors[vendor].defaultBaseUrl;
  const base = { vendor, baseUrl, customEndpoint, defaultModel: settings.model };
  if (settings.apiKey !== undefined) return { ...base, configured: true, reason: "API key set" };
  if (customEndpoint && isLocalUrl(baseUrl)) return { ...base, configured: true, reason: "local base URL, no key needed" };
  const variables = vendors[vendor].keyVariables.join(" or ");
  return { ...base, configured: false, reason: `no API key: set ${variables}` };
}

/**
 * The settings an adapter needs, or `provider_not_configured` naming the variable to set — raised
 * here, before any SDK is loaded or any work is done.
 */
export function resolveVendorSettings(vendor: ProviderId, config: GromptConfig, options: { model?: string; logger?: LoggerPort } = {}): VendorSettings {
  const status = vendorStatus(vendor, config);
  if (!status.configured) {
    const [variable = "", ...others] = vendors[vendor].keyVariables;
    const alternatives = others.length > 0 ? ` (or ${others.join(", ")})` : "";
    throw new GromptError("provider_not_configured", `${vendor} has no API key: set ${variable}${alternatives}`, {
      hint: `export ${variable}=... , or set providers.${vendor}.apiKey in ~/.config/grompt/config.yaml. ${localAlternative(vendor)}`,
      details: { provider: vendor, variable },
    });
  }
  return {
    apiKey: config.providers[vendor].apiKey,
    baseUrl: status.baseUrl,
    model: options.model ?? status.defaultModel,
    timeoutMs: config.request.timeoutMs,
    customEndpoint: status.customEndpoint,
    logger: options.logger,
  };
}

/** A way to run without this vendor's key: a local OpenAI-compatible server (Ollama, vLLM, LM Studio). */
function localAlternative(vendor: ProviderId): string {
  const variable = vendors.openai.baseUrlVariables[0] ?? "OPENAI_BASE_URL";
  return vendor === "openai"
    ? `A local OpenAI-compatible server (Ollama, vLLM, LM Studio) needs only a base URL (${variable}).`
    : `Or use a local OpenAI-compatible server (Ollama, vLLM, LM Studio): provider openai with ${variable} set, no key needed.`;
}
