import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createPinoLogger } from "../../../src/adapters/metering/pino-logger";
import { configSchema } from "../../../src/app/config/config-schema";
import { withProviderPolicy } from "../../../src/app/providers/provider-policy";
import { createPriceBook } from "../../../src/app/providers/price-book";
import type { ModelProvider } from "../../../src/core/ports/provider-port";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createPinoLogger({ level: "debug", stream }) };
}

describe("logging context", () => {
  it("puts withFields' fields on every line written meanwhile by any logger of the tree, async continuations included, never twice", async () => {
    const { lines, logger } = capture();
    const sdk = logger.child({ sdk: "openai" });
    const tagged = logger.child({ provider_call_id: "bound" });
    await logger.withFields?.({ provider_call_id: "C1", job_id: "J1" }, async () => {
      sdk.warn({}, "before an await");
      await new Promise((resolve) => setTimeout(resolve, 5));
      sdk.warn({ extra: 1 }, "after an await");
      tagged.info({}, "already tagged");
    });
    sdk.warn({}, "outside");
    expect(lines.map((l) => [l.msg, l.provider_call_id, l.job_id])).toEqual([
      ["before an await", "C1", "J1"],
      ["after an await", "C1", "J1"],
      ["already tagged", "bound", "J1"],
      ["outside", undefined, undefined],
    ]);
  });

  it("tags what a provider adapter logs during a call with the call's provider_call_id", async () => {
    const { lines, logger } = capture();
    const adapter: ModelProvider = {
      id: "openai",
      model: "m",
      async generate() {
        await new Promise((resolve) => setTimeout(resolve, 1));
        logger.warn({ sdk: "openai" }, "the SDK warns about something");
        return { text: "ok", provider: "openai", model: "m" };
      },
    };
    const config = configSchema.parse({});
    const provider = withProviderPolicy(adapter, {
      settings: { timeoutMs: 5_000, maxAttempts: 1, maxRetryDelayMs: 0, chaos429: 0, baseDelayMs: 1, cacheTtlMs: 1 },
      prices: createPriceBook(config.prices),
      logger,
      newCallId: () => "CALL-7",
    });
    await provider.generate({ user: "hi" }, {}, { jobId: "JOB-3" });
    const sdkLine = lines.find((l) => l.msg === "the SDK warns about something");
    expect(sdkLine).toMatchObject({ provider_call_id: "CALL-7", job_id: "JOB-3", sdk: "openai" });
    expect(lines.filter((l) => typeof l.msg === "string" && (l.msg as string).startsWith("provider call")).every((l) => l.provider_call_id === "CALL-7")).toBe(true);
  });
});
