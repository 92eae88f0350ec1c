import type { LoggerPort } from "../../../core/ports/logger-port";

/** Everything a vendor adapter needs, resolved from config before any SDK is loaded. */
export interface VendorSettings {
  /** The API key; absent only for local endpoints that need none. */
  apiKey?: string;
  /** Base URL in the form the SDK expects (OpenAI with `/v1`; Anthropic and Gemini without a version). */
  baseUrl: string;
  model: string;
  /** Bounds each HTTP attempt inside the SDK; the policy layer enforces the same bound around it. */
  timeoutMs: number;
  /** True when `baseUrl` is not the vendor's public endpoint (an OpenAI-compatible server, a proxy, a fake). */
  customEndpoint: boolean;
  /** Where SDK warnings go instead of the console (which would corrupt streamed output). */
  logger?: LoggerPort;
}
