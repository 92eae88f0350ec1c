import { randomUUID } from "node:crypto";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { GromptError } from "../core/domain/errors";
import { bearerAuth } from "./auth";
import { createInFlightKeys, parseIdempotencyKey } from "./idempotency";
import { observeRequests } from "./observe-requests";
import { collectRoutes } from "./openapi";
import { problemErrorHandler } from "./problem";
import { perTokenLimit } from "./rate-limits";
import { registerArtifactRoutes } from "./routes/artifact-routes";
import { registerJobRoutes } from "./routes/job-routes";
import { registerJobStreamRoute } from "./routes/job-stream-route";
import { registerProviderRoutes } from "./routes/provider-routes";
import { registerSystemRoutes } from "./routes/system-routes";
import type { ServerDeps } from "./server-deps";
import { createOpenStreams } from "./sse/open-streams";

/** Headers a browser front end may read from answers (CORS). */
const exposedHeaders = [
  "location",
  "idempotent-replayed",
  "retry-after",
  "x-request-id",
  "etag",
  "x-content-sha256",
  "repr-digest",
  "content-disposition",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
];

/**
 * The daemon's HTTP API (DESIGN §5) over the use cases in `deps`, without listening: tests drive it
 * with `inject()` or `listen({ port: 0 })`, `grompt serve` listens on its host and port.
 * `app.close()` is the graceful end: new requests get 503, every SSE stream gets a final
 * `server-shutdown` event, requests in flight finish.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    forceCloseConnections: "idle",
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    // Bodies are taken as sent: no coercion, no defaults, and an unknown field is an error, not dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
  });
  const routes = collectRoutes(app);
  const streams = createOpenStreams();
  let shuttingDown = false;

  app.setErrorHandler(problemErrorHandler(deps.logger));
  app.setNotFoundHandler((request) => {
    throw new GromptError("not_found", `No route ${request.method} ${request.url.split("?")[0]}`, { hint: "See GET /v1/openapi.json for the routes." });
  });
  observeRequests(app, deps);
  app.addHook("onRequest", async (request, reply) => void reply.header("x-request-id", request.id));
  if (deps.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...deps.corsOrigins],
      methods: ["GET", "POST", "OPTIONS"],
      allowedHeaders: ["authorization", "content-type", "idempotency-key", "last-event-id"],
      exposedHeaders,
      maxAge: 600,
    });
  }
  app.addHook("onRequest", bearerAuth(deps.token));
  await app.register(rateLimit, { global: false });
  app.addHook("preClose", async () => {
    shuttingDown = true;
    await streams.closeAll("the daemon is shutting down; reconnect with Last-Event-ID to resume");
  });

  const inFlight = createInFlightKeys();
  const isReplay = async (request: FastifyRequest): Promise<boolean> => {
    const key = parseIdempotencyKey(request.headers["idempotency-key"]);
    return key !== undefined && (await deps.daemon.knowsKey(deps.scope, key));
  };
  const jobsLimit = perTokenLimit(app, { max: deps.limits.jobsPerMinute, scope: deps.scope, what: "jobs", isReplay });
  const testLimit = perTokenLimit(app, { max: deps.limits.jobsPerMinute, scope: deps.scope, what: "provider tests" });
  registerSystemRoutes(app, deps, { routes, shuttingDown: () => shuttingDown, openStreams: () => streams.size() });
  registerJobRoutes(app, deps, { inFlight, jobsLimit });
  registerJobStreamRoute(app, deps, streams);
  registerArtifactRoutes(app, deps);
  registerProviderRoutes(app, deps, { testLimit });
  return app;
}
