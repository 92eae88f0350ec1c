/**
 * A real runner process for the crash-safety test: the real container on a real home, with an
 * instant provider-like handler that walks every state with small awaits and events, and writes
 * `start`/`end` markers so the test can count handler completions per process.
 * Args: <markers file> [--exit-when-done]
 */
import { appendFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createContainer } from "../../src/app/container";
import type { JobState } from "../../src/core/domain/job";
import { pathFor } from "../../src/core/domain/job-state-machine";
import type { JobHandler } from "../../src/app/runner/job-handler";

const [markers, mode] = process.argv.slice(2) as [string, string | undefined];
const container = createContainer({ cwd: process.cwd(), env: process.env });

const handler: JobHandler = async (ctx) => {
  appendFileSync(markers, `start ${ctx.job.id} ${process.pid}\n`);
  const callId = `call-${ctx.job.id}-${process.pid}`;
  for (const state of pathFor(ctx.job.promptPurpose).slice(1, -1) as JobState[]) {
    await ctx.advance(state);
    await sleep(3 + Math.random() * 12);
    await ctx.emit({ type: "provider-chunk", callId, text: `${state} chunk` }, { type: "job-progressed", step: state, message: "ok" });
  }
  appendFileSync(markers, `end ${ctx.job.id} ${process.pid}\n`);
  return { result: { by: process.pid }, usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 3 };
};

// More starts than the test has kills: a job killed in every trial must still resume (the poison-job
// rule has its own test in job-runner.test.ts).
const runner = await container.runner({ handlers: { refactor: handler, craft: handler }, pollMs: 25, maxStarts: 100 });
await runner.start();
process.stdout.write("started\n");
const jobs = await container.jobs();
for (;;) {
  await runner.idle();
  const unfinished = await jobs.list({ states: ["queued", "snapshotting", "prompting", "diffing"], limit: 1 });
  if (unfinished.jobs.length === 0 && mode === "--exit-when-done") break;
  await sleep(25);
}
await runner.stop();
await container.close();
