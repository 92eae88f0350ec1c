import "../support/loopback-only";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/build-server";
import { daemonServerDeps } from "../../src/server/start-daemon";
import { type FakeServer, startFakeServer } from "../fakes/fake-server";
import { type TestDaemon, startTestDaemon } from "../support/daemon-harness";

let openai: FakeServer;
let daemon: TestDaemon;
beforeAll(async () => {
  openai = await startFakeServer("openai");
  daemon = await startTestDaemon({
    env: { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.baseUrl },
    corsOrigins: ["http://localhost:5173"],
  });
});
afterAll(async () => {
  await daemon.close();
  await openai.close();
});

const problemOf = async (response: Response) => {
  expect(response.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
  return (await response.json()) as Record<string, unknown>;
};

describe("authentication", () => {
  it("answers /healthz without a token and nothing else", async () => {
    const health = await fetch(`${daemon.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", version: "test", runningJobs: 0 });
    for (const path of ["/v1/jobs", "/v1/providers", "/metrics", "/v1/openapi.json", "/v1/jobs/x", "/no/such/route"]) {
      const response = await fetch(`${daemon.url}${path}`);
      expect(response.status, path).toBe(401);
      expect(await problemOf(response)).toMatchObject({ code: "unauthorized", status: 401, type: "urn:grompt:error:unauthorized", detail: "This request needs a bearer token" });
    }
  });

  it("refuses a wrong token, a token of another scheme, and takes the right one", async () => {
    const wrong = await fetch(`${daemon.url}/v1/jobs`, { headers: { authorization: `Bearer ${daemon.token}x` } });
    expect(await problemOf(wrong)).toMatchObject({ code: "unauthorized", detail: "The bearer token is wrong" });
    const prefix = await fetch(`${daemon.url}/v1/jobs`, { headers: { authorization: `Bearer ${daemon.token.slice(0, -1)}` } });
    expect(prefix.status).toBe(401);
    const basic = await fetch(`${daemon.url}/v1/jobs`, { headers: { authorization: `Basic ${Buffer.from(`u:${daemon.token}`).toString("base64")}` } });
    expect(await problemOf(basic)).toMatchObject({ code: "unauthorized", detail: "The Authorization header is not a bearer token" });
    const right = await fetch(`${daemon.url}/v1/jobs`, { headers: { authorization: `bearer ${daemon.token}` } });
    expect(right.status).toBe(200);
  });

  it("takes ?access_token= on the event stream only", async () => {
    expect((await fetch(`${daemon.url}/v1/jobs?access_token=${daemon.token}`)).status).toBe(401);
    const created = await (await daemon.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["token in query"] }) })).json();
    const stream = await fetch(`${daemon.url}/v1/jobs/${(created as { id: string }).id}/stream?access_token=${daemon.token}`);
    expect(stream.status).not.toBe(401);
    await stream.body?.cancel();
  });

  it("stores the generated token in $GROMPT_HOME/token with mode 0600", async () => {
    const { statSync, readFileSync } = await import("node:fs");
    const file = `${daemon.home}/token`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(daemon.token);
    expect(daemon.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("errors and validation", () => {
  it("rejects unknown fields, wrong types and missing fields with a 400 problem naming them", async () => {
    const cases: [unknown, string][] = [
      [{ ideas: ["x"], temperature: 1 }, 'body must NOT have additional properties: "temperature"'],
      [{ ideas: "not a list" }, "body/ideas must be array"],
      [{ ideas: ["x"], maxTokens: "100" }, "body/maxTokens must be integer"],
      [{}, "body must have required property 'ideas'"],
      [{ ideas: [] }, "body/ideas must NOT have fewer than 1 items"],
    ];
    for (const [body, detail] of cases) {
      const response = await daemon.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect(await problemOf(response)).toMatchObject({ code: "invalid_input", detail, instance: "/v1/jobs/craft" });
    }
    const broken = await daemon.request("/v1/jobs/craft", { method: "POST", body: "{not json" });
    expect(await problemOf(broken)).toMatchObject({ status: 400, code: "invalid_input" });
    const query = await daemon.request("/v1/jobs?limit=0&colour=red");
    expect(await problemOf(query)).toMatchObject({ status: 400, code: "invalid_input" });
  });

  it("answers unknown routes and jobs with not_found, and big bodies with payload_too_large", async () => {
    expect(await problemOf(await daemon.request("/v2/things"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await problemOf(await daemon.request("/v1/jobs/01ABSENT"))).toMatchObject({ status: 404, code: "not_found", detail: "No job has the id 01ABSENT" });
    const huge = await daemon.request("/v1/jobs/craft", { method: "POST", body: JSON.stringify({ ideas: ["x".repeat(1_100_000)] }) });
    expect(await problemOf(huge)).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("hides a server error's details from the client and logs them under the request id", async () => {
    const deps = await daemonServerDeps(daemon.container, { token: daemon.token, roots: [daemon.dir], corsOrigins: [], blobs: daemon.container.blobs, version: "test" });
    const app = await buildServer({
      ...deps,
      daemon: {
        ...deps.daemon,
        submit: async () => {
          throw new Error("EACCES: permission denied, open '/home/someone/secret/place'");
        },
      },
    });
    const response = await app.inject({ method: "POST", url: "/v1/jobs/craft", headers: { authorization: `Bearer ${daemon.token}` }, payload: { ideas: ["x"] } });
    expect(response.statusCode).toBe(500);
    const body = response.json<Record<string, unknown>>();
    expect(body).toEqual({
      type: "urn:grompt:error:internal",
      title: "Unexpected internal error",
      status: 500,
      code: "internal",
      detail: "Unexpected internal error.",
      instance: "/v1/jobs/craft",
      requestId: expect.any(String),
    });
    expect(response.body).not.toContain("/home/someone");
    await app.close();
    const { readdirSync, readFileSync } = await import("node:fs");
    const logs = readdirSync(`${daemon.home}/logs`).map((file) => readFileSync(`${daemon.home}/logs/${file}`, "utf8")).join("");
    expect(logs).toContain(body.requestId as string);
    expect(logs).toContain("permission denied");
  });
});

describe("CORS", () => {
  it("answers only the configured origins, preflights included, without needing a token", async () => {
    const preflight = await fetch(`${daemon.url}/v1/jobs/craft`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,idempotency-key" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    const allowed = await daemon.request("/v1/jobs", { headers: { origin: "http://localhost:5173" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("idempotent-replayed");
    const refusedWithoutToken = await fetch(`${daemon.url}/v1/jobs`, { headers: { origin: "http://localhost:5173" } });
    expect(refusedWithoutToken.status).toBe(401);
    expect(refusedWithoutToken.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const other = await daemon.request("/v1/jobs", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("OpenAPI", () => {
  it("documents every route of DESIGN §5 from the schemas the server validates with", async () => {
    const document = (await (await daemon.request("/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> }; security?: unknown[]; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        "POST /v1/jobs/evolve",
        "POST /v1/jobs/craft",
        "GET /v1/jobs",
        "GET /v1/jobs/{id}",
        "GET /v1/jobs/{id}/stream",
        "GET /v1/jobs/{id}/artifacts",
        "GET /v1/jobs/{id}/artifacts/{name}",
        "POST /v1/jobs/{id}/cancel",
        "POST /v1/providers/test",
        "GET /v1/providers",
        "GET /metrics",
        "GET /healthz",
        "GET /v1/openapi.json",
      ].sort(),
    );
    for (const path of ["/v1/jobs/craft", "/v1/jobs/evolve", "/v1/providers/test"]) {
      expect(document.paths[path]?.post?.requestBody?.content["application/json"]?.schema.additionalProperties).toBe(false);
    }
    expect(document.paths["/healthz"]?.get?.security).toEqual([]);
    expect(document.paths["/v1/jobs/{id}"]?.get?.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path" }));
    expect(document.paths["/v1/jobs/{id}/stream"]?.get?.parameters).toContainEqual(expect.objectContaining({ name: "last-event-id", in: "header" }));
    expect(Object.keys(document.paths["/v1/jobs/craft"]?.post?.responses ?? {})).toEqual(expect.arrayContaining(["202", "400", "401", "409", "422", "429"]));
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
