import type { FastifyInstance, FastifySchema, RouteOptions } from "fastify";

interface RouteRecord {
  method: string;
  url: string;
  schema: FastifySchema & { summary?: string; description?: string; tags?: string[] };
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: readonly string[] };

/** Remembers every route as it is registered; call before registering routes. */
export function collectRoutes(app: FastifyInstance): RouteRecord[] {
  const routes: RouteRecord[] = [];
  app.addHook("onRoute", (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      // HEAD twins of GET routes and CORS preflights are not part of the API.
      if (method === "HEAD" || method === "OPTIONS" || route.url.includes("*")) continue;
      routes.push({ method, url: route.url, schema: (route.schema ?? {}) as RouteRecord["schema"] });
    }
  });
  return routes;
}

const streamingContent: Record<string, string> = {
  "/v1/jobs/:id/stream": "text/event-stream",
  "/v1/jobs/:id/artifacts/:name": "application/octet-stream",
  "/metrics": "text/plain",
};

/**
 * An OpenAPI 3.1 document made from the registered routes' own JSON schemas — the schemas fastify
 * validates with — so the document cannot drift from what the server accepts.
 */
export function buildOpenApiDocument(routes: readonly RouteRecord[], info: { version: string; publicRoutes: readonly string[] }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.url.localeCompare(b.url))) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    const { schema } = route;
    const operation: Record<string, unknown> = {
      operationId: operationId(route),
      ...(schema.summary === undefined ? {} : { summary: schema.summary }),
      ...(schema.description === undefined ? {} : { description: schema.description }),
      ...(schema.tags === undefined ? {} : { tags: schema.tags }),
    };
    const parameters = [
      ...parametersOf(schema.params as JsonSchema | undefined, "path"),
      ...parametersOf(schema.querystring as JsonSchema | undefined, "query"),
      ...parametersOf(schema.headers as JsonSchema | undefined, "header"),
    ];
    if (parameters.length > 0) operation.parameters = parameters;
    const body = schema.body as JsonSchema | undefined;
    if (body !== undefined) operation.requestBody = { required: (body.required ?? []).length > 0, content: { "application/json": { schema: body } } };
    operation.responses = responsesOf(route);
    if (info.publicRoutes.includes(route.url)) operation.security = [];
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "grompt daemon API",
      version: info.version,
      description: "Jobs (evolve, craft), their events over SSE, artifacts, providers. Errors are RFC 9457 problem details with grompt's error codes.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "The token in $GROMPT_HOME/token, or GROMPT_TOKEN." } } },
    paths,
  };
}

function operationId(route: RouteRecord): string {
  const words = route.url
    .split("/")
    .filter((part) => part !== "" && part !== "v1")
    .map((part) => (part.startsWith(":") ? `by-${part.slice(1)}` : part));
  return [route.method.toLowerCase(), ...words].join("-").replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function parametersOf(schema: JsonSchema | undefined, where: "path" | "query" | "header"): Record<string, unknown>[] {
  if (schema?.properties === undefined) return [];
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    const parameter: Record<string, unknown> = { name, in: where, required: where === "path" || (schema.required ?? []).includes(name), schema: rest };
    if (description !== undefined) parameter.description = description;
    // A repeated query parameter arrives as an array.
    if (where === "query" && "anyOf" in rest) Object.assign(parameter, { style: "form", explode: true });
    return parameter;
  });
}

function responsesOf(route: RouteRecord): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries((route.schema.response ?? {}) as Record<string, JsonSchema>)) {
    const code = Number(status);
    const description = typeof response.description === "string" ? response.description : code < 400 ? "OK" : "A problem (RFC 9457) with grompt's error code.";
    const hasBody = "type" in response || "properties" in response;
    const type = code >= 400 ? "application/problem+json" : (streamingContent[route.url] ?? "application/json");
    responses[status] = code === 204 || code === 304 ? { description } : hasBody ? { description, content: { [type]: { schema: response } } } : { description, content: { [type]: {} } };
  }
  return responses;
}
