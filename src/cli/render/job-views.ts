import chalk from "chalk";
import Table from "cli-table3";
import type { Job } from "../../core/domain/job";
import type { JobEventRecord } from "../../core/domain/job-events";
import type { JobDetails } from "../../app/jobs/job-use-cases";
import { summarizeEvent } from "./event-summary";
import { formatAge, formatBytes, formatCost } from "./format";

const stateColor = (state: Job["state"]): string =>
  state === "done" ? chalk.green(state) : state === "error" ? chalk.red(state) : chalk.yellow(state);

/** `grompt jobs list`: one row per job. */
export function renderJobTable(jobs: Job[], now = new Date()): string {
  if (jobs.length === 0) return "No jobs yet.\n";
  const table = new Table({
    head: ["id", "purpose", "state", "provider:model", "age", "tokens", "cost"],
    style: { head: [], border: [] },
  });
  for (const job of jobs) {
    table.push([
      job.id,
      job.promptPurpose,
      stateColor(job.state),
      `${job.provider}:${job.model}`,
      formatAge(job.createdAt, now),
      job.usage?.total ?? "-",
      formatCost(job.costMicros),
    ]);
  }
  return `${table.toString()}\n`;
}

/** `grompt jobs show`: the job, how it ended and what it produced. */
export function renderJobDetails({ job, artifacts, eventCount }: JobDetails, now = new Date()): string {
  const rows: [string, string][] = [
    ["job", job.id],
    ["purpose", job.promptPurpose],
    ["state", stateColor(job.state) + (job.cancelRequested === true && job.state !== "error" ? chalk.dim(" (cancel requested)") : "")],
    ["provider", `${job.provider}:${job.model}`],
    ["session", job.sessionId],
    ["created", `${job.createdAt} (${formatAge(job.createdAt, now)} ago)`],
    ["updated", job.updatedAt],
    ["attempts", String(job.attempts ?? 0)],
    ["tokens", job.usage === undefined ? "-" : `${job.usage.total} (${job.usage.prompt} prompt + ${job.usage.completion} completion)`],
    ["cost", formatCost(job.costMicros)],
  ];
  if (job.error !== undefined) {
    rows.push(["error", `${chalk.red(`[${job.error.code}]`)} ${job.error.message}`]);
    if (job.error.hint !== undefined) rows.push(["hint", job.error.hint]);
  }
  if (job.result !== undefined) rows.push(["result", JSON.stringify(job.result)]);
  rows.push(["events", `${eventCount} (grompt jobs logs ${job.id})`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  let out = rows.map(([label, value]) => `${chalk.dim(label.padEnd(width))}  ${value}`).join("\n");
  out += `\n${chalk.dim("artifacts".padEnd(width))}  ${artifacts.length === 0 ? "none" : ""}`;
  for (const artifact of artifacts) {
    out += `\n  ${artifact.name}  ${artifact.kind}  ${formatBytes(artifact.bytes)}  sha256:${artifact.sha256.slice(0, 12)}`;
  }
  return `${out}\n`;
}

/** `grompt jobs logs`: one line per event. */
export function renderEventLine(record: JobEventRecord): string {
  const time = record.ts.slice(11, 23);
  const type = record.event.type === "job-failed" ? chalk.red(record.event.type) : record.event.type;
  return `${chalk.dim(`#${record.seq}`)} ${chalk.dim(time)} ${type} ${summarizeEvent(record.event)}\n`;
}
