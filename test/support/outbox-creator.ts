/**
 * Creates jobs the way `grompt serve` does (the spool entry after the answer, through the outbox)
 * for the outbox crash test, printing each job's id once its creation resolved — what a client's
 * answer would carry. Args: `--kill-after-commit <n>`: creates n jobs at once, then kills itself
 * with SIGKILL at once, after their commit and before their spool entries; `--flood`: creates jobs
 * twenty at a time until killed.
 */
import { createContainer } from "../../src/app/container";

const [mode, count] = process.argv.slice(2) as [string, string | undefined];
const container = createContainer({ cwd: process.cwd(), env: process.env });
const jobs = await container.jobs({ spoolAfterCommit: true });
const createSome = (n: number, round: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      jobs.create({ purpose: i % 2 === 0 ? "refactor" : "craft", provider: "openai", model: "instant", input: { round, i } }).then(({ job }) => {
        process.stdout.write(`${job.id}\n`);
      }),
    ),
  );

if (mode === "--kill-after-commit") {
  await createSome(Number(count ?? 10), 0);
  // Still in the turn that committed them: the outbox writes their entries in the next one.
  process.kill(process.pid, "SIGKILL");
}
for (let round = 0; mode === "--flood"; round += 1) await createSome(20, round);
