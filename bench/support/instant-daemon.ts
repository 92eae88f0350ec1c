/**
 * `grompt serve` as its start-up code builds it (startDaemon over a container on GROMPT_HOME), but
 * with an instant in-process craft handler: no prompt rendering, no provider, no artifact — so a
 * benchmark sees the daemon's own cost per job (HTTP, store, queue, runner bookkeeping, events).
 * Prints the same "listening on <url>" line as `grompt serve`; stops on SIGTERM.
 */
import { createContainer } from "../../src/app/container";
import type { JobHandler } from "../../src/app/runner/job-handler";
import { startDaemon } from "../../src/server/start-daemon";

const container = createContainer({ cwd: process.cwd(), env: process.env, longRunning: true });
const token = container.config.server.token;
if (token === undefined) throw new Error("instant-daemon needs GROMPT_TOKEN");
const instantCraft: JobHandler = async (ctx) => {
  await ctx.advance("prompting");
  await ctx.emit({ type: "provider-chunk", callId: "instant", text: "a crafted prompt" });
  return { result: { text: "a crafted prompt" }, usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 0 };
};
const daemon = await startDaemon(container, {
  host: "127.0.0.1",
  port: 0,
  token,
  roots: [process.cwd()],
  corsOrigins: [],
  handlers: { craft: instantCraft },
  blobs: container.blobs,
  version: "bench",
});
process.stdout.write(`grompt serve listening on ${daemon.url}\n`);
process.once("SIGTERM", () => void daemon.stop().then(() => container.close()).then(() => process.exit(0)));
