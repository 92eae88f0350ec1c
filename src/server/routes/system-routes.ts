import type { FastifyInstance } from "fastify";
import { GromptError } from "../../core/domain/errors";
import { buildOpenApiDocument, type collectRoutes } from "../openapi";
import * as schemas from "../schemas";
import type { ServerDeps } from "../server-deps";

/** /healthz (the one public route), /metrics (Prometheus) and /v1/openapi.json. */
export function registerSystemRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  context: { routes: ReturnType<typeof collectRoutes>; shuttingDown: () => boolean; openStreams: () => number },
): void {
  app.get(
    "/healthz",
    {
      schema: {
        summary: "Liveness: answers without a token",
        tags: ["system"],
        response: {
          200: { type: "object", required: ["status"], properties: { status: { type: "string" }, version: { type: "string" } }, additionalProperties: true },
          503: { type: "object", properties: { status: { type: "string" } } },
        },
      },
    },
    async (_request, reply) => {
      if (context.shuttingDown()) return reply.code(503).send({ status: "shutting-down" });
      return { status: "ok", version: deps.version, openStreams: context.openStreams(), ...deps.health?.() };
    },
  );

  app.get(
    "/metrics",
    { schema: { summary: "Prometheus metrics (text exposition format)", tags: ["system"], response: { 200: { description: "Metrics." }, 401: schemas.problem, 404: schemas.problem } } },
    async (_request, reply) => {
      if (deps.metrics === undefined) throw new GromptError("not_found", "This server exports no metrics");
      const text = await deps.metrics.render();
      return reply.type(deps.metrics.contentType).send(text);
    },
  );

  let document: Record<string, unknown> | undefined;
  app.get(
    "/v1/openapi.json",
    { schema: { summary: "This API's OpenAPI 3.1 document, made from the routes' schemas", tags: ["system"], response: { 401: schemas.problem } } },
    async () => (document ??= buildOpenApiDocument(context.routes, { version: deps.version, publicRoutes: ["/healthz"] })),
  );
}
