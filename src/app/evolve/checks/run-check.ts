import { join } from "node:path";
import { execa } from "execa";
import type { CheckRun, CheckSpec } from "./check-spec";
import { readDiagnostics, renderDiagnostics } from "./read-diagnostics";
import { cleanOutput, trimOutput } from "./trim-output";

export interface RunCheckInput {
  check: CheckSpec;
  /** The project directory the check runs in (in the temporary worktree). */
  cwd: string;
  /** For `changed-files` checks: the files to check, relative to `cwd`. */
  files?: readonly string[];
  /** Aborting it kills the check's whole process group; the promise then rejects with the reason. */
  signal?: AbortSignal;
}

/** Tools must not wait for input, watch files, write snapshots or paint colours. */
const checkEnv: NodeJS.ProcessEnv = { CI: "1", FORCE_COLOR: "0", NO_COLOR: "1" };
const killGraceMs = 2_000;

/**
 * Runs one check in its own process group (so a timeout or a cancel stops the shell, the tool and
 * every process it started), keeps a bounded copy of its output and reads its diagnostics.
 */
export async function runCheck(input: RunCheckInput): Promise<CheckRun> {
  const { check, cwd, signal } = input;
  signal?.throwIfAborted();
  const started = performance.now();
  const command = "shell" in check.run ? { file: "/bin/sh", args: ["-c", check.run.shell] } : { file: join(cwd, check.run.file), args: [...check.run.args, ...(input.files ?? [])] };
  const child = execa(command.file, command.args, {
    cwd,
    env: checkEnv,
    extendEnv: true,
    stdin: "ignore",
    buffer: false,
    detached: true,
    reject: false,
  });
  const all = boundedText(512 * 1024, 64 * 1024);
  const stdout = boundedText(8 * 1024 * 1024, 0);
  child.stdout?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    all.append(text);
    stdout.append(text);
  });
  child.stderr?.on("data", (chunk: Buffer) => all.append(chunk.toString("utf8")));

  let timedOut = false;
  let forceKill: NodeJS.Timeout | undefined;
  const stop = () => {
    killGroup(child.pid, "SIGTERM");
    forceKill ??= setTimeout(() => killGroup(child.pid, "SIGKILL"), killGraceMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, check.timeoutMs);
  signal?.addEventListener("abort", stop, { once: true });
  const result = await child;
  clearTimeout(timer);
  signal?.removeEventListener("abort", stop);
  if (timedOut || signal?.aborted === true) {
    // Whatever the tool started may still run: the group goes too.
    killGroup(child.pid, "SIGKILL");
  }
  clearTimeout(forceKill);
  signal?.throwIfAborted();

  const durationMs = Math.round(performance.now() - started);
  const text = { all: all.text(), stdout: stdout.text() };
  if (result.exitCode === undefined && !timedOut && result.failed) text.all = `${text.all}\n${result.shortMessage}`;
  const diagnostics = timedOut ? undefined : readDiagnostics(check.kind, text, cwd);
  const status = timedOut ? "timed-out" : result.exitCode === 0 ? "passed" : "failed";
  const exitCode = result.exitCode ?? null;
  let output = check.kind === "eslint" && diagnostics !== undefined ? renderDiagnostics(diagnostics) : trimOutput(text.all);
  if (timedOut) output = `${output}\n(timed out after ${Math.round(check.timeoutMs / 1000)} s; the check's processes were stopped)`.trimStart();
  const run: CheckRun = { name: check.name, kind: check.kind, display: check.display, status, exitCode, durationMs, output: cleanOutput(output) };
  if (diagnostics !== undefined) run.diagnostics = diagnostics;
  return run;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Keeps the first `head` and the last `tail` characters of a stream. */
function boundedText(head: number, tail: number): { append(text: string): void; text(): string } {
  let start = "";
  let end = "";
  let dropped = 0;
  return {
    append(text) {
      if (start.length < head) {
        const room = head - start.length;
        start += text.slice(0, room);
        text = text.slice(room);
      }
      if (text === "") return;
      if (tail === 0) {
        dropped += text.length;
        return;
      }
      end += text;
      if (end.length > tail) {
        dropped += end.length - tail;
        end = end.slice(-tail);
      }
    },
    text: () => (dropped === 0 ? start + end : `${start}\n… (${dropped} characters of output left out)\n${end}`),
  };
}
