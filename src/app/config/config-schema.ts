import * as z from "zod";

/**
 * The whole configuration, every key optional in files; defaults live here and nowhere else.
 * Layers: defaults < ~/.config/grompt/config.yaml < <repo>/.grompt/config.yaml < env < flags.
 */
const providerSettings = (defaultModel: string) =>
  z
    .strictObject({
      apiKey: z.string().min(1).optional(),
      baseUrl: z.url().optional(),
      model: z.string().min(1).default(defaultModel),
    })
    .prefault({});

const price = z.strictObject({
  input: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative(),
});

const check = z.strictObject({
  name: z.string().min(1),
  run: z.string().min(1),
  /** Seconds. */
  timeout: z.number().int().min(1).max(3600).default(300),
});

export const configSchema = z.strictObject({
  defaults: z
    .strictObject({
      provider: z.string().min(1).default("openai"),
      model: z.string().min(1).optional(),
    })
    .prefault({}),
  providers: z
    .strictObject({
      openai: providerSettings("gpt-4.1-mini"),
      // claude-sonnet-4-5 reaches end of life on 2026-11-30 (the SDK warns on every call).
      anthropic: providerSettings("claude-sonnet-4-6"),
      gemini: providerSettings("gemini-2.5-flash"),
    })
    .prefault({}),
  /** USD per 1M tokens, keyed "provider:model"; merged over the shipped price table. */
  prices: z.record(z.string().regex(/^[a-z0-9_-]+:.+$/, "keys look like provider:model"), price).default({}),
  request: z
    .strictObject({
      /** Per provider call, 20 s to 600 s. */
      timeoutMs: z.number().int().min(20_000).max(600_000).default(60_000),
      maxAttempts: z.number().int().min(1).max(3).default(3),
      /** Upper bound for an honoured Retry-After. */
      maxRetryDelayMs: z.number().int().min(0).max(120_000).default(30_000),
      /** Fraction of provider calls failed with a 429 before the network (GROMPT_CHAOS_429). */
      chaos429: z.number().min(0).max(1).default(0),
    })
    .prefault({}),
  cache: z
    .strictObject({
      enabled: z.boolean().default(true),
      ttlSeconds: z.number().int().min(1).default(7 * 24 * 3600),
      maxEntries: z.number().int().min(1).default(5_000),
    })
    .prefault({}),
  snapshot: z
    .strictObject({
      include: z.array(z.string()).default([]),
      exclude: z.array(z.string()).default([]),
      maxFileBytes: z.number().int().min(1).default(1_000_000),
      secrets: z.enum(["block", "redact", "off"]).default("block"),
    })
    .prefault({}),
  checks: z.array(check).optional(),
  evolve: z
    .strictObject({
      maxRounds: z.number().int().min(0).max(10).default(2),
      prompt: z.string().min(1).default("refactor-small"),
      validate: z.boolean().default(true),
    })
    .prefault({}),
  queue: z
    .strictObject({
      leaseMs: z.number().int().min(1_000).default(30_000),
      maxAttempts: z.number().int().min(1).max(20).default(3),
      concurrency: z.number().int().min(1).max(32).default(2),
    })
    .prefault({}),
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65_535).default(7411),
      corsOrigins: z.array(z.string()).default([]),
      token: z.string().min(16).optional(),
      jobsPerMinute: z.number().int().min(1).default(60),
      tokensPerMinute: z.number().int().min(1).default(1_000_000),
      idempotencyTtlHours: z.number().min(1).max(24 * 30).default(24),
      /** Jobs waiting to start past which submissions are refused (429 queue_full) until the runners catch up. */
      maxQueuedJobs: z.number().int().min(1).default(10_000),
    })
    .prefault({}),
  limits: z
    .strictObject({
      /** Daily cost quota in USD, shared by the CLI and the daemon; unset means no quota. */
      dailyCostUsd: z.number().positive().optional(),
    })
    .prefault({}),
  flags: z
    .strictObject({
      streamPatch: z.boolean().default(false),
      jsonMode: z.boolean().default(false),
      evalLite: z.boolean().default(true),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(["trace", "debug", "info", "warn", "error", "silent"]).default("info"),
      /** Log prompts and source code (off: only sizes and hashes are logged). */
      prompts: z.boolean().default(false),
    })
    .prefault({}),
});

export type GromptConfig = z.infer<typeof configSchema>;
/** What one layer may say: any subset of the keys. */
export type ConfigLayer = z.input<typeof configSchema>;
