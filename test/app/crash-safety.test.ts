import { type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exited, useCrashHome } from "../support/crash-home";
import { spawnScript } from "../support/run-script";

const trials = 24;
const jobsPerTrial = 4;

/** Starts the runner process and resolves once it has started claiming. */
function startRunner(markers: string, env: NodeJS.ProcessEnv, exitWhenDone = false): Promise<ChildProcess> {
  const child = spawnScript("crash-runner.ts", exitWhenDone ? [markers, "--exit-when-done"] : [markers], env);
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("started")) resolve(child);
    });
    child.on("exit", (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`runner exited ${code}: ${stderr}`));
    });
  });
}

async function waitForStart(markers: string, pid: number): Promise<void> {
  for (let waited = 0; waited < 3_000; waited += 5) {
    if (readFileSync(markers, "utf8").includes(` ${pid}\n`)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("crash safety", () => {
  // A short lease keeps a killed worker's jobs from waiting long (a dead local owner is reclaimed at once anyway).
  // Every kill costs the jobs it interrupts an attempt, and the oldest job is claimed first after each
  // restart: with 3 attempts one job was occasionally dead-lettered by three kills in a row — the
  // queue's poison-job rule working, not a lost job. The most attempts allowed keep this test on crashes.
  const { env, markers, container: opened } = useCrashHome("{ leaseMs: 1000, concurrency: 2, maxAttempts: 20 }");

  it(`loses no job and completes none twice across ${trials} kill -9 trials`, async () => {
    const jobs = await opened().jobs();
    const created: string[] = [];
    const killed = new Set<number>();
    for (let trial = 0; trial < trials; trial += 1) {
      const child = await startRunner(markers, env);
      // New work arrives from another process while the runner works.
      for (let i = 0; i < jobsPerTrial; i += 1) {
        const purpose = i % 2 === 0 ? "refactor" : "craft";
        created.push((await jobs.create({ purpose, provider: "openai", model: "instant", input: { trial, i } })).job.id);
      }
      // Kill at a random moment, usually in the middle of a handler run: after one has started.
      await waitForStart(markers, child.pid as number);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      child.kill("SIGKILL");
      await exited(child);
      killed.add(child.pid as number);
    }
    const last = await startRunner(markers, env, true);
    await exited(last);
    expect(last.exitCode).toBe(0);

    const lines = readFileSync(markers, "utf8").trim().split("\n").map((line) => line.split(" ") as [string, string, string]);
    for (const id of created) {
      const job = await jobs.get(id);
      expect(job.state, `job ${id}: ${JSON.stringify(job.error)}`).toBe("done");
      const events = await jobs.events(id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.event.type === "job-completed")).toHaveLength(1);
      expect(events.at(-1)?.event.type).toBe("job-completed");
      // Every state was entered exactly once, however often the handler was re-run.
      const moves = events.flatMap((e) => (e.event.type === "state-changed" ? [e.event.to] : []));
      expect(moves).toEqual(job.promptPurpose === "refactor" ? ["snapshotting", "prompting", "diffing", "done"] : ["prompting", "done"]);
      // A handler may finish again only if the process that finished it first was killed before committing.
      const ends = lines.filter(([kind, jobId]) => kind === "end" && jobId === id).map(([, , pid]) => Number(pid));
      expect(ends.length).toBeGreaterThanOrEqual(1);
      for (const pid of ends.slice(0, -1)) expect(killed.has(pid), `job ${id} completed twice by live process ${pid}`).toBe(true);
    }
    expect(created).toHaveLength(trials * jobsPerTrial);
    expect(await opened().queue().stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
    const interrupted = lines.filter(([kind]) => kind === "start").length - created.length;
    // The trials must actually have cut jobs short, or they prove nothing.
    expect(interrupted).toBeGreaterThan(0);
  }, 120_000);
});
