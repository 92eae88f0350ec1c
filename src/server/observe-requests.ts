import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from "fastify";
import type { LoggerPort } from "../core/ports/logger-port";
import type { MeteringPort, OpenSpan } from "../core/ports/metering-port";

declare module "fastify" {
  interface FastifyRequest {
    /** The request's trace span (server kind), current while its handler runs. */
    span?: OpenSpan;
    startedAt: number;
    /** Set once the request's duration was recorded (an SSE stream records it when it opens). */
    observed: boolean;
    /** The problem the request was answered with, for its log line. */
    failure?: { code: string; detail: string };
  }
}

/**
 * One span per request (continuing a caller's `traceparent`), the HTTP duration histogram by route
 * pattern, and one log line per request: debug when it went well, info when refused, error when it
 * failed. The handler runs with the span current, so the job it creates and the runner's hand-off
 * span join the request's trace.
 */
export function observeRequests(app: FastifyInstance, deps: { metering: MeteringPort; logger: LoggerPort }): void {
  app.decorateRequest("span", undefined);
  app.decorateRequest("startedAt", 0);
  app.decorateRequest("observed", false);
  app.decorateRequest("failure", undefined);
  // Callback hooks, not async ones: no promise per hook per request.
  app.addHook("onRequest", (request, _reply, done) => {
    request.startedAt = performance.now();
    const route = request.routeOptions.url ?? "unmatched";
    request.span = deps.metering.startSpan(
      `${request.method} ${route}`,
      { "http.request.method": request.method, "http.route": route, "grompt.request_id": request.id },
      { kind: "server", carrier: request.headers },
    );
    done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    recordResponse(request, reply.statusCode, deps);
    endSpan(request, reply.statusCode);
    done();
  });
  app.addHook("onRoute", (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: FastifyInstance, request, reply) {
      return request.span === undefined ? handler.call(this, request, reply) : request.span.activate(() => handler.call(this, request, reply));
    } as RouteHandlerMethod;
  });
}

/** Records the request's duration and log line once (for a stream: when it opened). */
export function recordResponse(request: FastifyRequest, status: number, deps: { metering: MeteringPort; logger: LoggerPort }): void {
  if (request.observed) return;
  request.observed = true;
  const seconds = (performance.now() - request.startedAt) / 1000;
  const route = request.routeOptions.url ?? "unmatched";
  deps.metering.httpRequestFinished({ method: request.method, route, status }, seconds);
  const level = status >= 500 ? "error" : status >= 400 ? "info" : "debug";
  // A served request logs at debug, which a daemon rarely has on: its line is not even built then.
  if (deps.logger.isLevelEnabled?.(level) === false) return;
  const fields = { request_id: request.id, method: request.method, route, status, ms: Math.round(seconds * 10_000) / 10, ...request.failure };
  if (level === "error") deps.logger.error(fields, "request failed");
  else if (level === "info") deps.logger.info(fields, "request refused");
  else deps.logger.debug(fields, "request served");
}

export function endSpan(request: FastifyRequest, status: number): void {
  request.span?.setAttributes({ "http.response.status_code": status });
  if (status >= 500) request.span?.recordError(new Error(`HTTP ${status}`));
  request.span?.end();
}
