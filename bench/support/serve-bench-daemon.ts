/**
 * The daemon under load for `npm run bench serve`, in its own process so autocannon does not share
 * its event loop: `grompt serve`'s startDaemon over a real temporary home, with an instant craft
 * handler (no provider: the figures are the daemon's own), and next to it a bare fastify server
 * answering the same two routes with constants — the floor of HTTP on this machine.
 * Prints one JSON line: {url, token, bareUrl}.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { createContainer } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { startDaemon } from "../../src/server/start-daemon";

const dir = mkdtempSync(join(tmpdir(), "grompt-bench-serve-"));
const container = createContainer({
  cwd: dir,
  env: { GROMPT_HOME: join(dir, "home"), XDG_CONFIG_HOME: join(dir, "xdg"), GROMPT_LOG_LEVEL: "warn", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
  flags: { server: { jobsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000 } },
});
const instantCraft: JobHandler = async (ctx) => {
  await ctx.advance("prompting");
  await ctx.emit({ type: "provider-chunk", callId: "instant", text: "a crafted prompt" });
  return { result: { text: "a crafted prompt" }, usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 0 };
};
const token = "bench-token-0123456789abcdef";
const daemon = await startDaemon(container, {
  host: "127.0.0.1",
  port: 0,
  token,
  roots: [dir],
  corsOrigins: [],
  handlers: { craft: instantCraft },
  blobs: container.blobs,
  version: "bench",
});

const bare = Fastify({ logger: false });
const job = { id: "01BARE", state: "queued", provider: "openai", model: "gpt-4.1-mini", promptPurpose: "craft" };
bare.post("/v1/jobs/craft", async (_request, reply) => reply.code(202).header("location", "/v1/jobs/01BARE").send(job));
bare.get("/v1/jobs/:id", async () => job);
const bareUrl = await bare.listen({ host: "127.0.0.1", port: 0 });

process.stdout.write(`${JSON.stringify({ url: daemon.url, token, bareUrl })}\n`);
process.once("SIGTERM", () => {
  void (async () => {
    await daemon.stop();
    await bare.close();
    await container.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  })();
});
