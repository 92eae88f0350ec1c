import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContainer } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { startDaemon } from "../../src/server/start-daemon";

/**
 * A job event → SSE client, one event in flight at a time, in one process: from the moment its
 * append committed (`relay`) and from just before the append began (`end to end`, the store write
 * included).
 */
export async function relay(relayEvents: number): Promise<{ relay: number[]; endToEnd: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), "grompt-bench-relay-"));
  const container = createContainer({
    cwd: dir,
    env: { GROMPT_HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "xdg"), GROMPT_LOG_LEVEL: "warn", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
  });
  const sentAt: number[] = [];
  const committedAt: number[] = [];
  let next: (() => void) | undefined;
  const handler: JobHandler = async (ctx) => {
    await ctx.advance("prompting");
    for (let i = 0; i < relayEvents; i += 1) {
      await new Promise<void>((resolve) => (next = resolve));
      sentAt[i] = performance.now();
      await ctx.emit({ type: "job-progressed", step: "relay", message: String(i) });
      committedAt[i] = performance.now();
    }
    return { result: {} };
  };
  const token = "bench-token-0123456789abcdef";
  const daemon = await startDaemon(container, { host: "127.0.0.1", port: 0, token, roots: [dir], corsOrigins: [], handlers: { craft: handler }, blobs: container.blobs, version: "bench" });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  try {
    const job = (await (await fetch(`${daemon.url}/v1/jobs/craft`, { method: "POST", headers, body: JSON.stringify({ ideas: ["relay"] }) })).json()) as { id: string };
    const latencies: number[] = [];
    const fromCommit: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(`${daemon.url}/v1/jobs/${job.id}/stream`, { headers }, (res) => {
        res.setEncoding("utf8");
        let buffer = "";
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.includes("event: state-changed") && latencies.length === 0 && sentAt.length === 0) next?.();
            const message = /"step":"relay","message":"(\d+)"/.exec(frame);
            if (message === null) continue;
            const index = Number(message[1]);
            const receivedAt = performance.now();
            latencies.push(receivedAt - (sentAt[index] as number));
            // The client can parse the event before the handler's await of its append resumes.
            fromCommit.push(Math.max(0, receivedAt - (committedAt[index] ?? receivedAt)));
            if (index + 1 < relayEvents) next?.();
            else {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on("error", reject);
      req.end();
    });
    return { relay: fromCommit, endToEnd: latencies };
  } finally {
    await daemon.stop();
    await container.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: a chunk written to a loopback HTTP response until the client has read it. */
export async function bareRelay(relayEvents: number): Promise<number[]> {
  let response: ServerResponse | undefined;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.flushHeaders();
    response = res;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const latencies: number[] = [];
  await new Promise<void>((resolve) => {
    const req = request(`http://127.0.0.1:${port}/`, (res) => {
      res.setEncoding("utf8");
      let sent = 0;
      const send = () => {
        sent = performance.now();
        response?.write(`data: ${latencies.length}\n\n`);
      };
      res.on("data", () => {
        latencies.push(performance.now() - sent);
        if (latencies.length < relayEvents) setImmediate(send);
        else {
          req.destroy();
          resolve();
        }
      });
      setImmediate(send);
    });
    req.end();
  });
  server.closeAllConnections();
  server.close();
  return latencies;
}

