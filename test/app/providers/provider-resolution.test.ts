import { describe, expect, it } from "vitest";
import { type ConfigLayer, configSchema } from "../../../src/app/config/config-schema";
import { isLocalUrl } from "../../../src/app/providers/is-local-url";
import { createPriceBook } from "../../../src/app/providers/price-book";
import { createProviderRegistry } from "../../../src/app/providers/provider-registry";
import { resolveVendorSettings, vendorStatus } from "../../../src/app/providers/vendor-config";
import type { GromptError } from "../../../src/core/domain/errors";
import { scriptedProvider } from "../../support/scripted-provider";

const config = (layer: ConfigLayer = {}) => configSchema.parse(layer);

function thrown(work: () => unknown): GromptError {
  try {
    work();
  } catch (error) {
    return error as GromptError;
  }
  throw new Error("expected an error");
}

describe("provider registry", () => {
  const registry = createProviderRegistry();
  registry.register("openai", async (context) => scriptedProvider([{ text: "x" }], { model: context.model ?? "default-model" }));
  registry.register("local", async () => scriptedProvider([{ text: "y" }]));

  it("resolves a name, or name:model where the model may hold colons", async () => {
    expect(registry.parse("openai")).toEqual({ name: "openai" });
    expect(registry.parse("openai:qwen2.5-coder:7b")).toEqual({ name: "openai", model: "qwen2.5-coder:7b" });
    expect((await registry.create("openai:gpt-4o", { config: config() })).model).toBe("gpt-4o");
    expect((await registry.create("openai", { config: config() })).model).toBe("default-model");
  });

  it("rejects an unknown name, listing the known ones", () => {
    const error = thrown(() => registry.parse("mistral:large"));
    expect(error.code).toBe("provider_unknown");
    expect(error.message).toBe('No provider is registered as "mistral"; known providers: openai, local');
  });

  it("refuses duplicate and malformed names and an empty model", () => {
    expect(thrown(() => registry.register("openai", async () => scriptedProvider([]))).code).toBe("invalid_input");
    expect(thrown(() => registry.register("Bad Name", async () => scriptedProvider([]))).code).toBe("invalid_input");
    expect(thrown(() => registry.parse("openai:")).code).toBe("invalid_input");
  });

  it("lists registered names; plugins without a description count as configured", () => {
    expect(registry.list(config()).map((entry) => [entry.name, entry.configured])).toEqual([
      ["openai", true],
      ["local", true],
    ]);
  });
});

describe("vendor configuration", () => {
  it("names the variable to set when the key is missing, before any work", () => {
    const error = thrown(() => resolveVendorSettings("openai", config()));
    expect(error.code).toBe("provider_not_configured");
    expect(error.message).toBe("openai has no API key: set OPENAI_API_KEY");
    expect(thrown(() => resolveVendorSettings("gemini", config())).message).toBe("gemini has no API key: set GEMINI_API_KEY (or GOOGLE_API_KEY)");
    expect(thrown(() => resolveVendorSettings("anthropic", config())).details).toMatchObject({ variable: "ANTHROPIC_API_KEY" });
  });

  it("points at a keyless local server in the hint, through the openai provider for the other vendors", () => {
    expect(thrown(() => resolveVendorSettings("openai", config())).hint).toContain("needs only a base URL (OPENAI_BASE_URL)");
    expect(thrown(() => resolveVendorSettings("anthropic", config())).hint).toContain("provider openai with OPENAI_BASE_URL set, no key needed");
  });

  it("needs no key for a local OpenAI-compatible server, and marks it a custom endpoint", () => {
    const settings = resolveVendorSettings("openai", config({ providers: { openai: { baseUrl: "http://localhost:11434/v1/", model: "qwen2.5-coder" } } }));
    expect(settings).toMatchObject({ apiKey: undefined, baseUrl: "http://localhost:11434/v1", model: "qwen2.5-coder", customEndpoint: true, timeoutMs: 60_000 });
    expect(vendorStatus("openai", config({ providers: { openai: { baseUrl: "http://127.0.0.1:8000/v1" } } })).reason).toBe("local base URL, no key needed");
  });

  it("still needs a key for a remote compatible server", () => {
    expect(vendorStatus("openai", config({ providers: { openai: { baseUrl: "https://openrouter.ai/api/v1" } } }))).toMatchObject({
      configured: false,
      customEndpoint: true,
      reason: "no API key: set OPENAI_API_KEY",
    });
  });

  it("uses the vendor's public endpoint by default, with the key from config", () => {
    expect(resolveVendorSettings("anthropic", config({ providers: { anthropic: { apiKey: "k" } } }), { model: "claude-haiku-4-5" })).toMatchObject({
      apiKey: "k",
      baseUrl: "https://api.anthropic.com",
      customEndpoint: false,
      model: "claude-haiku-4-5",
    });
  });

  it.each([
    ["http://localhost:11434/v1", true],
    ["http://127.0.0.1:1234", true],
    ["http://[::1]:8080/v1", true],
    ["http://192.168.1.20:8000/v1", true],
    ["http://10.0.0.5/v1", true],
    ["http://172.20.0.2/v1", true],
    ["http://gpu-box.local:8000/v1", true],
    ["https://api.openai.com/v1", false],
    ["http://172.32.0.1/v1", false],
    ["not a url", false],
  ])("treats %s as local: %s", (url, local) => expect(isLocalUrl(url)).toBe(local));
});

describe("price book", () => {
  const book = createPriceBook({ "openai:my-finetune": { input: 3, output: 12 }, "openai:gpt-4.1-mini": { input: 1, output: 2 } });

  it("computes integer micro-dollars with cached input at its own price", () => {
    expect(book.costMicros("anthropic", "claude-sonnet-4-6", { prompt: 1_000_000, completion: 100_000, total: 1_100_000, cachedPrompt: 500_000 })).toBe(
      500_000 * 3 + 500_000 * 0.3 + 100_000 * 15,
    );
    expect(book.costMicros("openai", "my-finetune", { prompt: 3, completion: 1, total: 4, cachedPrompt: 1 })).toBe(3 * 3 + 12);
  });

  it("lets config override and extend the shipped table", () => {
    expect(book.lookup("openai", "gpt-4.1-mini")).toEqual({ input: 1, output: 2 });
    expect(book.lookup("openai", "my-finetune")).toEqual({ input: 3, output: 12 });
  });

  it("prices dated snapshots like their model, and nothing else", () => {
    expect(book.lookup("openai", "gpt-4.1-2025-04-14")).toEqual(book.lookup("openai", "gpt-4.1"));
    expect(book.lookup("anthropic", "claude-haiku-4-5-20251001")).toEqual(book.lookup("anthropic", "claude-haiku-4-5"));
    expect(book.costMicros("openai", "no-such-model", { prompt: 1, completion: 1, total: 2 })).toBeNull();
    expect(book.costMicros("openai", "gpt-4.1", undefined)).toBeNull();
  });

  it("prices every configured default model", () => {
    const defaults = config().providers;
    for (const vendor of ["openai", "anthropic", "gemini"] as const) expect(book.lookup(vendor, defaults[vendor].model)).toBeDefined();
  });
});
