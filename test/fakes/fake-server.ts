import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { anthropicWire } from "./anthropic-wire";
import { geminiWire } from "./gemini-wire";
import { openaiWire } from "./openai-wire";
import { type RecordedRequest, type Script, estimateTokens, splitIntoChunks } from "./script";
import type { VendorWire, WireAnswer, WireError } from "./wire";

export type FakeVendor = "openai" | "anthropic" | "gemini";

const wires: Record<FakeVendor, VendorWire> = { openai: openaiWire, anthropic: anthropicWire, gemini: geminiWire };

export interface FakeServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The key the fake accepts; null accepts any key or none (a local server). Default "test-key". */
  apiKey?: string | null;
  /** Answers served in order, before the default. */
  script?: Script[];
  /** What to answer when the queue is empty; default: an echo of the user's text. */
  fallback?: (request: RecordedRequest) => Script;
}

export interface FakeServer {
  vendor: FakeVendor;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The base URL the SDK and grompt expect (OpenAI's ends in `/v1`). */
  baseUrl: string;
  apiKey: string | null;
  /** Every request received, in order (control endpoints excluded). */
  requests: RecordedRequest[];
  /** Queues answers, served first in first out. */
  enqueue(...scripts: Script[]): void;
  /** Replaces the answer given when the queue is empty. */
  setFallback(fallback: ((request: RecordedRequest) => Script) | undefined): void;
  /** Forgets requests and queued answers. */
  reset(): void;
  close(): Promise<void>;
}

export const echoAnswer = (request: RecordedRequest, wire: VendorWire): Script => ({ kind: "text", text: `echo: ${wire.userText(request.body)}` });

/**
 * A loopback server speaking one vendor's real wire protocol, scriptable in process (`enqueue`,
 * `requests`) and over HTTP (`POST /__fake/script`, `GET /__fake/requests`, `POST /__fake/reset`)
 * so a test can drive one started as a separate process (see serve.ts).
 */
export async function startFakeServer(vendor: FakeVendor, options: FakeServerOptions = {}): Promise<FakeServer> {
  const wire = wires[vendor];
  const queue: Script[] = [...(options.script ?? [])];
  const requests: RecordedRequest[] = [];
  const apiKey = options.apiKey === undefined ? "test-key" : options.apiKey;
  let fallback = options.fallback;
  let counter = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => handle(req, res, raw)).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, wire.errorBody({ status: 500, message: `fake server failure: ${String(error)}` }), {});
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname.startsWith("/__fake/")) return control(url, req.method ?? "GET", raw, res);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
    let body: unknown;
    try {
      body = raw === "" ? {} : JSON.parse(raw);
    } catch {
      return sendError(res, { status: 400, message: "We could not parse the JSON body of your request." });
    }
    const route = wire.route(req.method ?? "GET", url, body);
    const request: RecordedRequest = { method: req.method ?? "GET", path: `${url.pathname}${url.search}`, headers, body, model: route?.model, stream: route?.stream ?? false, receivedAt: Date.now() };
    requests.push(request);
    res.on("close", () => {
      if (!res.writableFinished) request.clientAborted = true;
    });
    if (route === undefined) return sendError(res, { status: 404, message: `Invalid URL (${request.method} ${url.pathname})` });
    const rejected = wire.authenticate(headers, url, apiKey) ?? wire.validate(request);
    if (rejected !== undefined) return sendError(res, rejected);
    const script = queue.shift() ?? fallback?.(request) ?? echoAnswer(request, wire);
    await serve(script, request, res);
  }

  async function serve(script: Script, request: RecordedRequest, res: ServerResponse): Promise<void> {
    if (script.kind === "hang") return;
    if (script.kind === "drop" && (script.chunks === undefined || !request.stream)) {
      res.socket?.destroy();
      return;
    }
    if (script.kind === "error") {
      await sleep(script.delayMs);
      const extra: Record<string, string> = {};
      if (script.retryAfter !== undefined) extra["retry-after"] = script.retryAfter;
      if (script.retryAfterMs !== undefined) extra["retry-after-ms"] = String(script.retryAfterMs);
      return sendError(res, { status: script.status, message: script.message ?? defaultMessage(script.status), type: script.type, code: script.code }, extra);
    }
    const answer = answerFor(script, request);
    if (script.kind === "text") await sleep(script.delayMs);
    if (!request.stream) return sendJson(res, 200, wire.completion(answer), wire.responseHeaders());
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive", ...wire.responseHeaders() });
    const chunks = script.kind === "text" ? (script.chunks ?? splitIntoChunks(answer.text)) : (script.chunks ?? []);
    const gap = script.kind === "text" || script.kind === "stream-error" ? script.chunkDelayMs : undefined;
    for (const frame of wire.streamStart(answer)) res.write(frame);
    for (const [index, chunk] of chunks.entries()) {
      if (index > 0) await sleep(gap);
      if (res.destroyed) return;
      res.write(wire.streamChunk(answer, chunk, index));
    }
    if (script.kind === "stall") return;
    if (script.kind === "drop") {
      await sleep(5);
      res.socket?.destroy();
      return;
    }
    if (script.kind === "stream-error") {
      const status = script.status ?? 500;
      res.end(wire.streamError({ status, message: script.message ?? defaultMessage(status) }));
      return;
    }
    await sleep(gap);
    for (const frame of wire.streamEnd(answer, request)) res.write(frame);
    res.end();
  }

  function answerFor(script: Script, request: RecordedRequest): WireAnswer {
    counter += 1;
    const text = script.kind === "text" ? (script.text ?? "") : "chunks" in script && script.chunks !== undefined ? script.chunks.join("") : "";
    const usage = script.kind === "text" && script.usage !== undefined ? script.usage : { prompt: estimateTokens(JSON.stringify(request.body)), completion: estimateTokens(text) };
    return {
      id: `${vendor}-fake-${counter}`,
      model: (script.kind === "text" ? script.model : undefined) ?? request.model ?? "unknown-model",
      text,
      usage,
      finishReason: script.kind === "text" ? (script.finishReason ?? "stop") : "stop",
      created: Math.floor(Date.now() / 1000),
    };
  }

  function control(url: URL, method: string, raw: string, res: ServerResponse): void {
    if (url.pathname === "/__fake/requests" && method === "GET") return sendJson(res, 200, requests, {});
    if (url.pathname === "/__fake/script" && method === "POST") {
      const parsed = JSON.parse(raw) as Script | Script[];
      queue.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      return sendJson(res, 200, { queued: queue.length }, {});
    }
    if (url.pathname === "/__fake/reset" && method === "POST") {
      requests.length = 0;
      queue.length = 0;
      return sendJson(res, 200, { ok: true }, {});
    }
    sendJson(res, 404, { error: "unknown control endpoint" }, {});
  }

  function sendError(res: ServerResponse, error: WireError, extra: Record<string, string> = {}): void {
    sendJson(res, error.status, wire.errorBody(error), { ...wire.responseHeaders(), ...extra });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    vendor,
    origin,
    baseUrl: `${origin}${wire.basePathForClients}`,
    apiKey,
    requests,
    enqueue: (...scripts) => void queue.push(...scripts),
    setFallback: (next) => void (fallback = next),
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number | undefined): Promise<void> => (ms === undefined || ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms)));

function defaultMessage(status: number): string {
  if (status === 429) return "Rate limit reached for requests. Please try again later.";
  if (status === 401) return "Invalid authentication credentials.";
  if (status === 529) return "Overloaded";
  if (status >= 500) return "The server had an error while processing your request.";
  return "Invalid request.";
}
