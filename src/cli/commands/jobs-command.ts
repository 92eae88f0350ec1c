import { type Command, InvalidArgumentError, Option } from "commander";
import { jobStates, promptPurposes } from "../../core/domain/job";
import type { JobsListFlags } from "../actions/jobs-actions";

const actions = async () => (await import("../actions/jobs-actions")).jobsActions;

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
    .action(async (options: JobsListFlags, command: Command) => (await actions()).list(options, command));

  jobs
    .command("show <id>")
    .description("a job: state, error with its hint, usage, cost, artifacts")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }, command: Command) => (await actions()).show(id, options, command));

  jobs
    .command("logs <id>")
    .description("a job's events in order")
    .option("-f, --follow", "keep printing new events until the job ends")
    .option("--json", "one JSON object per line")
    .action(async (id: string, options: { follow?: boolean; json?: boolean }, command: Command) => (await actions()).logs(id, options, command));

  jobs
    .command("cancel <id>")
    .description("cancel a queued job at once, or ask a running one to stop")
    .option("--reason <text>", "why (recorded in the job's events)")
    .action(async (id: string, options: { reason?: string }, command: Command) => (await actions()).cancel(id, options, command));
}
