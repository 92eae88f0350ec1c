import { type Command, InvalidArgumentError, Option } from "commander";
import { type JobState, type PromptPurpose, jobStates, promptPurposes } from "../../core/domain/job";
import { withContainer } from "../open-container";
import { renderEventLine, renderJobDetails, renderJobTable } from "../render/job-views";

const write = (text: string): void => {
  process.stdout.write(text);
};
const json = (value: unknown): void => write(`${JSON.stringify(value, null, 2)}\n`);

function pageSize(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new InvalidArgumentError("Use a whole number from 1 to 500.");
  return limit;
}

export function registerJobsCommand(program: Command): void {
  const jobs = program.command("jobs").description("list, inspect, follow and cancel jobs");

  jobs
    .command("list")
    .description("jobs, newest first")
    .addOption(new Option("--state <state>", "only jobs in this state").choices(jobStates))
    .addOption(new Option("--purpose <purpose>", "only jobs of this purpose").choices(promptPurposes))
    .option("--limit <n>", "how many jobs (1-500)", pageSize, 20)
    .option("--cursor <cursor>", "the next page (from a previous --json answer's nextCursor)")
    .option("--json", "print JSON")
    .action(async (options: { state?: JobState; purpose?: PromptPurpose; limit: number; cursor?: string; json?: boolean }, command: Command) =>
      withContainer(command, async (container) => {
        const page = await (await container.jobs()).list({
          states: options.state === undefined ? undefined : [options.state],
          purposes: options.purpose === undefined ? undefined : [options.purpose],
          limit: options.limit,
          cursor: options.cursor,
        });
        if (options.json === true) {
          json(page);
          return;
        }
        write(renderJobTable(page.jobs));
        if (page.nextCursor !== undefined) write(`More jobs: grompt jobs list --limit ${options.limit} --cursor ${page.nextCursor}\n`);
      }),
    );

  jobs
    .command("show <id>")
    .description("a job: state, error with its hint, usage, cost, artifacts")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }, command: Command) =>
      withContainer(command, async (container) => {
        const details = await (await container.jobs()).show(id);
        write(options.json === true ? `${JSON.stringify(details, null, 2)}\n` : renderJobDetails(details));
      }),
    );

  jobs
    .command("logs <id>")
    .description("a job's events in order")
    .option("-f, --follow", "keep printing new events until the job ends")
    .option("--json", "one JSON object per line")
    .action(async (id: string, options: { follow?: boolean; json?: boolean }, command: Command) =>
      withContainer(command, async (container) => {
        const useCases = await container.jobs();
        const records = options.follow === true ? useCases.follow(id) : await useCases.events(id);
        for await (const record of records) write(options.json === true ? `${JSON.stringify(record)}\n` : renderEventLine(record));
      }),
    );

  jobs
    .command("cancel <id>")
    .description("cancel a queued job at once, or ask a running one to stop")
    .option("--reason <text>", "why (recorded in the job's events)")
    .action(async (id: string, options: { reason?: string }, command: Command) =>
      withContainer(command, async (container) => {
        const { job, outcome } = await (await container.jobs()).cancel(id, { reason: options.reason });
        write(
          outcome === "canceled"
            ? `Canceled job ${job.id}.\n`
            : `Cancel requested for job ${job.id} (${job.state}); its runner stops it at its next step.\n`,
        );
      }),
    );
}
