import { type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exited, useCrashHome } from "../support/crash-home";
import { spawnScript } from "../support/run-script";

/** Job ids the creator printed (each one's creation had resolved: a client got its answer). */
function answered(child: ChildProcess): { ids: string[] } {
  const seen = { ids: [] as string[], partial: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    const lines = (seen.partial + chunk.toString()).split("\n");
    seen.partial = lines.pop() ?? "";
    seen.ids.push(...lines.filter((line) => line !== ""));
  });
  return seen;
}

/** Runs the crash-safety runner until no job is unfinished. */
async function runToCompletion(markers: string, env: NodeJS.ProcessEnv): Promise<void> {
  const runner = spawnScript("crash-runner.ts", [markers, "--exit-when-done"], env);
  let stderr = "";
  runner.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await exited(runner);
  expect(runner.exitCode, stderr).toBe(0);
}

describe("the job outbox across kill -9", () => {
  const { env, markers, container } = useCrashHome("{ leaseMs: 1000, concurrency: 4 }");

  async function everyJob(states?: ("queued" | "done")[]) {
    const jobs = await container().jobs();
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await jobs.list({ limit: 500, cursor, ...(states === undefined ? {} : { states }) });
      all.push(...page.jobs);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return all;
  }

  /** Every job in the store ran to done exactly once, and the spool is empty. */
  async function expectEachDoneOnce(): Promise<string[]> {
    const jobs = await container().jobs();
    const all = await everyJob();
    const ends = readFileSync(markers, "utf8").trim().split("\n").filter((line) => line.startsWith("end "));
    for (const job of all) {
      expect(job.state, `job ${job.id}`).toBe("done");
      expect(ends.filter((line) => line.split(" ")[1] === job.id), `job ${job.id} ran to its end once`).toHaveLength(1);
      const events = await jobs.events(job.id);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.event.type === "job-completed")).toHaveLength(1);
    }
    expect(await container().queue().stats()).toEqual({ ready: 0, delayed: 0, leased: 0, dead: 0 });
    return all.map((job) => job.id);
  }

  it("runs exactly once every job whose creation was answered when the process died before writing its spool entry", async () => {
    const creator = spawnScript("outbox-creator.ts", ["--kill-after-commit", "12"], env);
    const seen = answered(creator);
    await exited(creator);
    expect(creator.signalCode).toBe("SIGKILL");
    expect(seen.ids).toHaveLength(12);
    // Killed between the commit and the spool write: the store has the jobs, the spool has none of them.
    const jobs = await container().jobs();
    for (const id of seen.ids) expect((await jobs.get(id)).state).toBe("queued");
    for (const id of seen.ids) expect(await container().queue().has(id)).toBe(false);

    await runToCompletion(markers, env);
    expect((await expectEachDoneOnce()).sort()).toEqual([...seen.ids].sort());
  }, 60_000);

  it("loses no answered job and runs none twice when killed at random moments of a flood of creations", async () => {
    const answeredIds: string[] = [];
    for (let trial = 0; trial < 6; trial += 1) {
      const creator = spawnScript("outbox-creator.ts", ["--flood"], env);
      const seen = answered(creator);
      while (seen.ids.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40));
      creator.kill("SIGKILL");
      await exited(creator);
      answeredIds.push(...seen.ids);
    }
    await runToCompletion(markers, env);
    const done = await expectEachDoneOnce();
    // Every answered job is among them (jobs committed but not yet answered when killed may be too).
    expect(answeredIds.filter((id) => !done.includes(id))).toEqual([]);
  }, 120_000);
});
