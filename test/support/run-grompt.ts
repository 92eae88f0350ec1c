import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");

/** Variables that would let a test reach a real vendor or read the developer's own config. */
const scrubbed = /^(OPENAI_|ANTHROPIC_|GEMINI_|GOOGLE_|GROMPT_|FF_|XDG_CONFIG_HOME$)/;

export interface GromptRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds after start at which each stdout piece arrived. */
  stdoutTimes: number[];
  durationMs: number;
}

/** A throwaway home (GROMPT_HOME, HOME, XDG_CONFIG_HOME) so runs never touch the developer's files. */
export function makeSandbox(): { dir: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "grompt-e2e-"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !scrubbed.test(name)));
  Object.assign(env, { GROMPT_HOME: join(dir, "home"), HOME: dir, XDG_CONFIG_HOME: join(dir, "config"), NO_COLOR: "1", FORCE_COLOR: "0" });
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the built CLI; `onStart` gets the child (to send signals). */
export function runGrompt(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; input?: string; onStart?: (child: ChildProcess) => void },
): Promise<GromptRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
  const run: GromptRun = { exitCode: null, signal: null, stdout: "", stderr: "", stdoutTimes: [], durationMs: 0 };
  child.stdout.on("data", (data: Buffer) => {
    run.stdout += data.toString();
    run.stdoutTimes.push(Date.now() - started);
  });
  child.stderr.on("data", (data: Buffer) => void (run.stderr += data.toString()));
  child.stdin.end(options.input ?? "");
  options.onStart?.(child);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      run.exitCode = code;
      run.signal = signal;
      run.durationMs = Date.now() - started;
      resolve(run);
    });
  });
}
