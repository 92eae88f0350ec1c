import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Container, createContainer } from "../../src/app/container";
import { cliEnv, runGrompt } from "../support/cli";
import { repoRoot } from "../support/run-script";
import { makeTempDir } from "../support/temp-home";

let temp: ReturnType<typeof makeTempDir>;
let container: Container;
const grompt = (...args: string[]) => runGrompt(args, { home: temp.dir });
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

beforeEach(() => {
  temp = makeTempDir();
  container = createContainer({ cwd: temp.dir, env: cliEnv(temp.dir) });
});
afterEach(async () => {
  await container.close();
  temp.cleanup();
});

/** One queued refactor, one craft that finished with usage and cost, one refactor that failed. */
async function seedJobs() {
  const jobs = await container.jobs();
  const store = await container.store();
  const queued = (await jobs.create({ purpose: "refactor", provider: "openai", model: "gpt-4.1-mini" })).job;
  const done = (await jobs.create({ purpose: "craft", provider: "anthropic", model: "claude-sonnet-4-5" })).job;
  await container.queue().remove(done.id);
  await store.transitionJob(done.id, { from: "queued", event: { type: "advance", to: "prompting" } });
  await store.transitionJob(done.id, {
    from: "prompting",
    event: { type: "advance", to: "done" },
    update: { result: { prompt: "p" }, usage: { prompt: 1000, completion: 234, total: 1234 }, costMicros: 2_500 },
  });
  const failed = (await jobs.create({ purpose: "refactor", provider: "gemini", model: "gemini-2.5-flash" })).job;
  await container.queue().remove(failed.id);
  await store.transitionJob(failed.id, {
    from: "queued",
    event: { type: "fail", error: { code: "checks_failed", message: "tsc failed", hint: "Read the failing check's output." } },
  });
  await store.recordArtifact({ jobId: failed.id, name: "changes.patch", kind: "patch", storageUrl: "file:///x", sha256: "ab".repeat(32), bytes: 2048, contentType: "text/x-diff", createdAt: new Date().toISOString() });
  return { queued, done, failed };
}

describe("grompt jobs", () => {
  it("lists jobs as a table, filtered, paged and as JSON", async () => {
    expect((await grompt("jobs", "list")).stdout).toContain("No jobs yet.");
    const { queued, done, failed } = await seedJobs();
    const table = await grompt("jobs", "list");
    expect(table.exitCode).toBe(0);
    for (const header of ["id", "purpose", "state", "provider:model", "age", "tokens", "cost"]) expect(table.stdout).toContain(header);
    expect(table.stdout).toContain(queued.id);
    const doneRow = table.stdout.split("\n").find((line) => line.includes(done.id)) ?? "";
    expect(doneRow).toMatch(/craft.*done.*anthropic:claude-sonnet-4-5.*1234.*\$0\.002500/);
    // Newest first.
    expect(table.stdout.indexOf(failed.id)).toBeLessThan(table.stdout.indexOf(queued.id));

    const onlyDone = await grompt("jobs", "list", "--state", "done", "--json");
    expect((JSON.parse(onlyDone.stdout) as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toEqual([done.id]);
    const refactors = JSON.parse((await grompt("jobs", "list", "--purpose", "refactor", "--json")).stdout) as { jobs: { id: string }[] };
    expect(refactors.jobs.map((j) => j.id)).toEqual([failed.id, queued.id]);

    const first = JSON.parse((await grompt("jobs", "list", "--limit", "2", "--json")).stdout) as { jobs: { id: string }[]; nextCursor: string };
    expect(first.jobs.map((j) => j.id)).toEqual([failed.id, done.id]);
    const rest = JSON.parse((await grompt("jobs", "list", "--limit", "2", "--cursor", first.nextCursor, "--json")).stdout) as { jobs: { id: string }[]; nextCursor?: string };
    expect(rest).toEqual({ jobs: [expect.objectContaining({ id: queued.id })] });
    expect((await grompt("jobs", "list", "--limit", "2")).stdout).toContain(`--cursor ${first.nextCursor}`);
  });

  it("shows a failed job with its error, hint, artifacts and event count", async () => {
    const { failed } = await seedJobs();
    const shown = await grompt("jobs", "show", failed.id);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toMatch(/state\s+error/);
    expect(shown.stdout).toContain("[checks_failed] tsc failed");
    expect(shown.stdout).toMatch(/hint\s+Read the failing check's output\./);
    expect(shown.stdout).toMatch(/changes\.patch\s+patch\s+2\.0 kB/);
    expect(shown.stdout).toMatch(/events\s+3 /);
    const json = JSON.parse((await grompt("jobs", "show", failed.id, "--json")).stdout) as { job: { error: unknown }; eventCount: number; artifacts: unknown[] };
    expect(json).toMatchObject({ job: { error: { code: "checks_failed" } }, eventCount: 3, artifacts: [{ name: "changes.patch" }] });
  });

  it("prints a job's events in order, as lines or JSON", async () => {
    const { done } = await seedJobs();
    const logs = await grompt("jobs", "logs", done.id);
    expect(logs.exitCode).toBe(0);
    const lines = logs.stdout.trim().split("\n");
    expect(lines.map((line) => line.split(" ")[0])).toEqual(["#1", "#2", "#3", "#4"]);
    expect(lines[0]).toContain("job-created craft job for anthropic:claude-sonnet-4-5");
    expect(lines[2]).toContain("state-changed prompting → done");
    const records = (await grompt("jobs", "logs", done.id, "--json")).stdout.trim().split("\n").map((l) => JSON.parse(l) as { seq: number; event: { type: string } });
    expect(records.map((r) => r.event.type)).toEqual(["job-created", "state-changed", "state-changed", "job-completed"]);
  });

  it("follows a job's events from another process until its final event", async () => {
    const { queued } = await seedJobs();
    const store = await container.store();
    const follower = execa(process.execPath, [join(repoRoot, "bin", "grompt"), "jobs", "logs", queued.id, "--follow"], {
      cwd: temp.dir,
      env: { ...cliEnv(temp.dir), NO_COLOR: "1" },
      reject: false,
    });
    let seen = "";
    follower.stdout?.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    while (!seen.includes("job-created")) await new Promise((resolve) => setTimeout(resolve, 20));
    await store.transitionJob(queued.id, { from: "queued", event: { type: "advance", to: "snapshotting" } });
    await store.appendEvents(queued.id, [{ type: "job-progressed", step: "snapshot", message: "12 files" }]);
    await store.transitionJob(queued.id, { from: "snapshotting", event: { type: "fail", error: { code: "secret_detected", message: "key in .env" } } });
    const result = await follower;
    expect(result.exitCode).toBe(0);
    const types = result.stdout.trim().split("\n").map((line) => line.split(" ")[2]);
    expect(types).toEqual(["job-created", "state-changed", "job-progressed", "state-changed", "job-failed"]);
  });

  it("cancels a queued job, and refuses to cancel it twice", async () => {
    const { queued } = await seedJobs();
    const canceled = await grompt("jobs", "cancel", queued.id, "--reason", "not needed");
    expect(canceled).toMatchObject({ exitCode: 0, stdout: `Canceled job ${queued.id}.` });
    expect(await (await container.jobs()).get(queued.id)).toMatchObject({ state: "error", error: { code: "canceled", message: "not needed" } });
    expect(await container.queue().has(queued.id)).toBe(false);
    const again = await grompt("jobs", "cancel", queued.id);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("[invalid_transition]");
  });
});

describe("grompt jobs cancel on a running job", () => {
  it("asks the runner in another process to stop it, which ends it in error/canceled", async () => {
    mkdirSync(join(temp.dir, "xdg", "grompt"), { recursive: true });
    writeFileSync(join(temp.dir, "xdg", "grompt", "config.yaml"), "queue: { leaseMs: 1000 }\n");
    await container.close();
    container = createContainer({ cwd: temp.dir, env: cliEnv(temp.dir) });
    let aborted: unknown;
    const runner = await container.runner({
      handlers: {
        refactor: async (ctx) => {
          await ctx.advance("snapshotting");
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
          aborted = ctx.signal.reason;
          throw ctx.signal.reason;
        },
      },
    });
    await runner.start();
    const jobs = await container.jobs();
    const { job } = await jobs.create({ purpose: "refactor", provider: "openai", model: "m" });
    while ((await jobs.get(job.id)).state !== "snapshotting") await new Promise((resolve) => setTimeout(resolve, 10));
    const result = await grompt("jobs", "cancel", job.id, "--reason", "wrong branch");
    expect(result).toMatchObject({ exitCode: 0, stdout: `Cancel requested for job ${job.id} (snapshotting); its runner stops it at its next step.` });
    while ((await jobs.get(job.id)).state !== "error") await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await jobs.get(job.id)).error?.code).toBe("canceled");
    expect(aborted).toMatchObject({ code: "canceled" });
    const types = (await jobs.events(job.id)).map((e) => e.event.type);
    expect(types.slice(-3)).toEqual(["cancel-requested", "state-changed", "job-failed"]);
    await runner.stop();
  });
});

describe("grompt on bad input", () => {
  it("answers an unknown job id with not_found, exit 2 and a hint", async () => {
    for (const args of [["jobs", "show", "01NOPE"], ["jobs", "logs", "01NOPE"], ["jobs", "cancel", "01NOPE"]]) {
      const result = await grompt(...args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("error [not_found] No job has the id 01NOPE");
      expect(result.stderr).toContain("grompt jobs list");
      noStack(result.stderr);
    }
  });

  it("rejects an unknown flag with exit 2", async () => {
    const result = await grompt("jobs", "list", "--bogus");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
    expect((await grompt("jobs", "list", "--limit", "many")).exitCode).toBe(2);
  });

  it("names the config file and line it cannot use, with exit 2", async () => {
    mkdirSync(join(temp.dir, ".grompt"));
    writeFileSync(join(temp.dir, ".grompt", "config.yaml"), "queue:\n  concurrency: 0\n");
    const invalid = await grompt("jobs", "list");
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain(`error [config_invalid] ${join(temp.dir, ".grompt", "config.yaml")}:2: key queue.concurrency`);
    expect(invalid.stderr).toContain("hint: Use a value of at least 1.");
    rmSync(join(temp.dir, ".grompt", "config.yaml"));
    mkdirSync(join(temp.dir, ".grompt", "config.yaml"));
    const unreadable = await grompt("config", "show");
    expect(unreadable.exitCode).toBe(2);
    expect(unreadable.stderr).toContain("error [config_invalid] Cannot read");
    noStack(unreadable.stderr);
  });

  it("reports a corrupt database in one line with exit 2 and leaves the file untouched", async () => {
    await container.close();
    const home = join(temp.dir, "home");
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    const garbage = Buffer.from("this is not a database, just garbage bytes ".repeat(200));
    writeFileSync(join(home, "grompt.db"), garbage);
    for (const args of [["jobs", "list"], ["jobs", "show", "x"]]) {
      const result = await grompt(...args);
      expect(result.exitCode).toBe(2);
      expect(result.stderr.split("\n")[0]).toMatch(/^error \[store_unavailable\] Cannot open the database .*grompt\.db: file is not a database$/);
      expect(result.stderr).toContain("hint:");
      noStack(result.stderr);
    }
    expect(readFileSync(join(home, "grompt.db")).equals(garbage)).toBe(true);
    expect(existsSync(join(home, "grompt.db-wal"))).toBe(false);
    container = createContainer({ cwd: temp.dir, env: cliEnv(temp.dir) });
  });

  it("reports an unusable spool directory with exit 2 and changes nothing", async () => {
    const { queued } = await seedJobs();
    const queueDir = join(temp.dir, "home", "queue");
    rmSync(queueDir, { recursive: true });
    writeFileSync(queueDir, "a file where the spool directory should be");
    const result = await grompt("jobs", "cancel", queued.id);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error [queue_unavailable] The job queue at ${queueDir} cannot be used`);
    expect(result.stderr).toContain("hint: Make that directory writable");
    noStack(result.stderr);
    expect((await (await container.jobs()).get(queued.id)).state).toBe("queued");
    expect(statSync(queueDir).isFile()).toBe(true);
    // Reading jobs does not need the spool.
    expect((await grompt("jobs", "list")).exitCode).toBe(0);
  });

  it("reports a GROMPT_HOME it cannot write in one line with exit 2", async () => {
    const notADirectory = join(temp.dir, "home-is-a-file");
    writeFileSync(notADirectory, "x");
    const result = await runGrompt(["jobs", "list"], { home: temp.dir, env: { GROMPT_HOME: notADirectory } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error [io_error] Cannot write the log file ${join(notADirectory, "logs")}`);
    expect(result.stderr).toContain("set GROMPT_HOME to a writable directory");
    noStack(result.stderr);
  });

  it("shows the stack only with --verbose", async () => {
    writeFileSync(join(temp.dir, "home", "grompt.db"), "garbage");
    await container.close();
    const verbose = await grompt("--verbose", "jobs", "list");
    expect(verbose.exitCode).toBe(2);
    expect(verbose.stderr).toMatch(/\n\s+at /);
    container = createContainer({ cwd: temp.dir, env: cliEnv(temp.dir) });
  });
});

describe("grompt config show", () => {
  it("opens neither the database nor the spool, and takes --log-prompts or GROMPT_LOG_PROMPTS", async () => {
    const fresh = makeTempDir();
    try {
      const plain = await runGrompt(["config", "show", "--json"], { home: fresh.dir });
      expect(JSON.parse(plain.stdout)).toMatchObject({ logging: { prompts: false } });
      expect(existsSync(join(fresh.dir, "home", "grompt.db"))).toBe(false);
      expect(existsSync(join(fresh.dir, "home", "queue"))).toBe(false);
      const flag = await runGrompt(["--log-prompts", "config", "show", "--json"], { home: fresh.dir });
      expect(JSON.parse(flag.stdout)).toMatchObject({ logging: { prompts: true } });
      const env = await runGrompt(["config", "show", "--json"], { home: fresh.dir, env: { GROMPT_LOG_PROMPTS: "1" } });
      expect(JSON.parse(env.stdout)).toMatchObject({ logging: { prompts: true } });
    } finally {
      fresh.cleanup();
    }
  });
});
