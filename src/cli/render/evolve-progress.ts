import chalk from "chalk";
import type { Ora } from "ora";
import type { JobEvent, JobEventRecord } from "../../core/domain/job-events";
import { formatBytes } from "./format";

export interface EvolveProgressOptions {
  stream: NodeJS.WriteStream;
  /** ora spinners (a terminal); otherwise one plain line per finished step. */
  spinner?: Ora;
  /** FF_STREAM_PATCH: write the model's answer to the terminal as it arrives. */
  streamPatch: boolean;
  /** `provider:model`, for the waiting line. */
  model: string;
}

const stateLabels: Partial<Record<string, string>> = { snapshotting: "Taking a snapshot", prompting: "Preparing the prompt", diffing: "Making a worktree" };

/**
 * Turns the job's events into progress on stderr: a spinner per state, provider call and check
 * (several can run at once: the baseline runs while the model answers), and a persistent line for
 * each finished step. Without a terminal, only the finished steps are printed, one per line.
 */
export function createEvolveProgress(options: EvolveProgressOptions): { onEvent(record: JobEventRecord): void; stop(): void } {
  const { spinner, stream } = options;
  const active = new Map<string, string>();
  const received = new Map<string, number>();
  let round = 1;
  let streaming = false;

  const refresh = () => {
    if (spinner === undefined || streaming) return;
    if (active.size === 0) spinner.stop();
    else {
      spinner.text = [...active.values()].join(chalk.dim("  ·  "));
      if (!spinner.isSpinning) spinner.start();
    }
  };
  const begin = (key: string, text: string) => {
    active.set(key, text);
    refresh();
  };
  const end = (key: string, line: string, ok: boolean | "warn" = true) => {
    active.delete(key);
    endStreaming();
    const symbol = ok === true ? chalk.green("✔") : ok === "warn" ? chalk.yellow("!") : chalk.red("✖");
    if (spinner !== undefined) {
      spinner.stopAndPersist({ symbol, text: line });
      refresh();
    } else stream.write(`${symbol} ${line}\n`);
  };
  const endStreaming = () => {
    if (!streaming) return;
    streaming = false;
    stream.write("\n");
  };

  /** The first lines of a failing check's output, under its line. */
  const excerpt = (output: string | undefined) => {
    if (output === undefined || output === "") return;
    const lines = output.split("\n");
    const shown = lines.slice(0, 8).map((line) => `    ${line}`);
    if (lines.length > 8) shown.push(`    … ${lines.length - 8} more lines in the report`);
    spinner?.clear();
    stream.write(`${chalk.dim(shown.join("\n"))}\n`);
    refresh();
  };

  const on = (event: JobEvent): void => {
    switch (event.type) {
      case "state-changed": {
        active.delete("state");
        const label = stateLabels[event.to];
        if (label !== undefined) begin("state", label);
        return;
      }
      case "snapshot-taken":
        return end("state", `Snapshot ${chalk.dim(event.snapshotId.slice(0, 12))}: ${event.files} files, ${formatBytes(event.bytes)}, ${event.tokens ?? "?"} tokens`);
      case "job-progressed":
        if (event.step === "context") return end("state", `Prompt: ${event.message}`);
        if (event.step === "checks") {
          const unavailable = (event.data?.unavailable ?? []) as { name: string; reason: string }[];
          for (const check of unavailable) end("note", chalk.yellow(`Check ${check.name} skipped: ${check.reason}`), "warn");
          return end("note", `Checks: ${event.message}`, event.message.startsWith("none") ? "warn" : true);
        }
        if (event.step === "worktree") return end("state", `Worktree: ${event.message}`);
        return;
      case "repair-round-started":
        round = event.round;
        return end(`round-${round}`, chalk.yellow(`Round ${round}: repairing, ${event.reason}`), "warn");
      case "provider-call-started":
        received.set(event.callId, 0);
        return begin(event.callId, `Round ${round}: waiting for ${options.model}`);
      case "provider-chunk": {
        const total = (received.get(event.callId) ?? 0) + event.text.length;
        received.set(event.callId, total);
        if (options.streamPatch) {
          if (!streaming) {
            spinner?.stop();
            streaming = true;
          }
          stream.write(chalk.dim(event.text));
          return;
        }
        return begin(event.callId, `Round ${round}: receiving the diff from ${options.model} (${formatBytes(total)})`);
      }
      case "provider-retried": {
        const text = `Round ${round}: ${options.model} answered ${event.code}; trying again in ${(event.delayMs / 1000).toFixed(1)} s`;
        if (spinner === undefined) stream.write(`${chalk.yellow("!")} ${text}\n`);
        return begin(event.callId, text);
      }
      case "provider-call-finished": {
        const tokens = event.usage === undefined ? "" : `, ${event.usage.total} tokens`;
        return end(event.callId, `Round ${round}: ${options.model} answered in ${(event.latencyMs / 1000).toFixed(1)} s${tokens}${event.cached ? " (cached)" : ""}`);
      }
      case "patch-rejected":
        return end(`round-${event.round}`, `Round ${event.round}: ${event.reason}`, false);
      case "patch-applied": {
        const strategies = Object.entries(event.strategies).map(([name, count]) => `${count} ${name}`).join(", ");
        return end(`round-${event.round}`, `Round ${event.round}: patch applied to ${event.files.length} file${event.files.length === 1 ? "" : "s"}, ${event.hunks} hunk${event.hunks === 1 ? "" : "s"} (${strategies})`);
      }
      case "check-started":
        return begin(`check-${event.round}-${event.name}`, `${event.round === 0 ? "Baseline" : `Round ${event.round}`}: ${event.command}`);
      case "check-finished": {
        const where = event.round === 0 ? "Baseline" : `Round ${event.round}`;
        const seconds = `${(event.durationMs / 1000).toFixed(1)} s`;
        const key = `check-${event.round}-${event.name}`;
        if (event.status === "passed") return end(key, `${where}: ${event.name} passed ${chalk.dim(seconds)}`);
        if (event.status === "skipped") return end(key, chalk.dim(`${where}: ${event.name} skipped`), "warn");
        if (event.round === 0) return end(key, `${where}: ${event.name} ${event.status} already, before any change ${chalk.dim(seconds)}`, "warn");
        if (event.causedByPatch === false) return end(key, `${where}: ${event.name} ${event.status}, as before the patch ${chalk.dim(seconds)}`, "warn");
        end(key, `${where}: ${event.name} ${event.status} because of the patch ${chalk.dim(seconds)}`, false);
        return excerpt(event.output);
      }
      default:
        return;
    }
  };

  return {
    onEvent: (record) => on(record.event),
    stop() {
      endStreaming();
      active.clear();
      spinner?.stop();
    },
  };
}
