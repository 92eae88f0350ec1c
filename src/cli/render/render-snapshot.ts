import chalk from "chalk";
import type { PromptContextPlan } from "../../app/snapshot/plan-prompt-context";
import type { SnapshotSummary } from "../../app/snapshot/summarize-snapshot";
import type { ProviderId } from "../../core/ports/provider-port";
import type { ExtractResult, SnapshotStage } from "../../core/ports/snapshot-port";

const number = (n: number) => n.toLocaleString("en-US");

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const label = (text: string) => chalk.dim(text.padEnd(10));

export function renderSnapshotSummary(summary: SnapshotSummary): string {
  const lines = [
    `${chalk.bold("snapshot")} ${summary.id}`,
    `${label("files")}${number(summary.files)}${summary.links > 0 ? ` (+${number(summary.links)} links)` : ""} from ${summary.source === "git" ? "git" : "the file system"}`,
    `${label("bytes")}${formatBytes(summary.bytes)}`,
    `${label("tokens")}${number(summary.tokens)} (${summary.provider}${summary.provider === "openai" ? ", o200k_base" : ", estimated"})`,
  ];
  if (summary.largest.length > 0) {
    const width = Math.max(...summary.largest.map((file) => file.path.length));
    summary.largest.forEach((file, index) => {
      lines.push(`${label(index === 0 ? "largest" : "")}${file.path.padEnd(width)}  ${formatBytes(file.bytes).padStart(9)}  ${number(file.tokens).padStart(9)} tokens`);
    });
  }
  if (summary.excluded.length > 0) {
    const parts = summary.excluded.map((entry) => `${entry.reason} ${number(entry.count)}`);
    lines.push(`${label("excluded")}${parts.join(chalk.dim(" · "))}`);
  }
  if (summary.redactions.length > 0) {
    lines.push(`${label("redacted")}${number(summary.redactions.length)} secrets replaced by [REDACTED:<rule>]`);
    for (const found of summary.redactions.slice(0, 5)) lines.push(`${label("")}${found.path}:${found.line} (${found.rule})`);
    if (summary.redactions.length > 5) lines.push(`${label("")}${chalk.dim(`… and ${summary.redactions.length - 5} more`)}`);
  }
  lines.push(`${label("written")}${summary.outputs.manifest}`);
  lines.push(`${label("")}${summary.outputs.latx}`);
  lines.push(`${label("")}${summary.outputs.zip}`);
  return `${lines.join("\n")}\n`;
}

/** `--timings`: milliseconds per stage; worker stages are summed over the worker threads. */
export function renderTimings(stages: readonly SnapshotStage[]): string {
  const width = Math.max(...stages.map((entry) => entry.stage.length));
  const lines = stages.map(
    (entry, index) => `${label(index === 0 ? "timings" : "")}${entry.thread.padEnd(8)} ${entry.stage.padEnd(width)} ${number(Math.round(entry.ms)).padStart(7)} ms`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderContextPlan(plan: PromptContextPlan, tokens: number, provider: ProviderId): string {
  const reasons = new Map<string, number>();
  for (const file of plan.leftOut) reasons.set(file.reason, (reasons.get(file.reason) ?? 0) + 1);
  const leftOut = [...reasons.entries()].map(([reason, count]) => `${reason} ${number(count)}`).join(chalk.dim(" · "));
  const lines = [
    `${label("context")}${number(plan.files.length)} files in full, ${number(plan.pathsOnly.length)} by path only: ${number(tokens)} of ${number(plan.budget)} ${provider} tokens`,
    ...plan.files.slice(0, 10).map((file) => `${label("")}${file.path} ${chalk.dim(`(${file.why}, ${number(file.tokens)} tokens)`)}`),
  ];
  if (plan.files.length > 10) lines.push(`${label("")}${chalk.dim(`… and ${plan.files.length - 10} more`)}`);
  if (leftOut.length > 0) lines.push(`${label("left out")}${leftOut}`);
  const overBudget = plan.leftOut.filter((file) => file.reason === "over-budget").slice(0, 5);
  for (const file of overBudget) lines.push(`${label("")}${file.path} ${chalk.dim(`(${number(file.tokens)} tokens, over budget)`)}`);
  return `${lines.join("\n")}\n`;
}

export function renderExtraction(result: ExtractResult, dir: string): string {
  const lines = [`restored ${number(result.files)} files${result.links > 0 ? ` and ${number(result.links)} links` : ""} (${formatBytes(result.bytes)}) into ${dir}`];
  for (const link of result.skippedLinks) lines.push(chalk.yellow(`skipped link ${link.path} -> ${link.target}: it points outside ${dir}`));
  return `${lines.join("\n")}\n`;
}
