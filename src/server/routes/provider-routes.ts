import type { FastifyInstance } from "fastify";
import type { RateLimitHook } from "../rate-limits";
import * as schemas from "../schemas";
import type { ServerDeps } from "../server-deps";

const price = { type: "object", properties: { input: { type: "number" }, cachedInput: { type: "number" }, output: { type: "number" } } } as const;

const providerList = {
  type: "object",
  required: ["providers", "defaultProvider", "pricesAsOf"],
  properties: {
    defaultProvider: { type: "string" },
    pricesAsOf: { type: "string", description: "When the shipped price table was checked." },
    providers: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "configured", "reason", "models"],
        properties: {
          name: { type: "string" },
          configured: { type: "boolean", description: "Whether it can be called (a key or a local base URL is set); keys are never shown." },
          reason: { type: "string" },
          defaultModel: { type: "string" },
          baseUrl: { type: "string" },
          models: { type: "array", items: { type: "object", properties: { model: { type: "string" }, price: { ...price, description: "USD per 1M tokens." } } } },
        },
      },
    },
  },
} as const;

const checkResult = {
  type: "object",
  required: ["name", "ok", "latencyMs"],
  properties: {
    name: { type: "string" },
    model: { type: "string" },
    ok: { type: "boolean" },
    latencyMs: { type: "integer" },
    usage: schemas.usage,
    costMicros: { type: ["integer", "null"] },
    error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, hint: { type: "string" } } },
  },
} as const;

/** `GET /v1/providers` (what is usable, never a key) and `POST /v1/providers/test` (one tiny real call). */
export function registerProviderRoutes(app: FastifyInstance, deps: ServerDeps, context: { testLimit: RateLimitHook }): void {
  app.get(
    "/v1/providers",
    { schema: { summary: "Providers, their models and prices, and which are configured", tags: ["providers"], response: { 200: providerList, 401: schemas.problem } } },
    async () => deps.daemon.listProviders(),
  );

  app.post(
    "/v1/providers/test",
    {
      onRequest: context.testLimit,
      schema: {
        summary: "Check a provider/model with the configured key: one tiny real call",
        description: "Answers 200 whether or not the call worked: `ok` and, on failure, the error's code and message (exit-code style).",
        tags: ["providers"],
        body: schemas.providerTestBody,
        response: { 200: checkResult, 400: schemas.problem, 401: schemas.problem, 429: schemas.problem },
      },
    },
    async (request) => {
      const body = request.body as { provider: string; model?: string };
      const check = await deps.daemon.testProvider(body, deps.scope);
      if (check.ok) {
        const { result } = check;
        return { name: check.name, model: check.model, ok: true, latencyMs: check.latencyMs, usage: result.usage, costMicros: result.costMicros ?? null };
      }
      return { name: check.name, model: check.model, ok: false, latencyMs: check.latencyMs, error: check.error.toFailure() };
    },
  );
}
