/** Which parser reads a check's output into diagnostics (compared with the baseline's). */
export type CheckKind = "tsc" | "eslint" | "vitest" | "command";

/** One validation command of an evolve job, as detected from the repository or configured. */
export interface CheckSpec {
  /** `tsc`, `eslint`, `vitest`, or the configured name. */
  name: string;
  kind: CheckKind;
  /** The command as people (and the model) read it: `tsc --noEmit`. Never holds an absolute path. */
  display: string;
  /**
   * How to run it from the project directory: a program (relative to the project directory, e.g.
   * `node_modules/.bin/tsc`) with arguments, or a shell command line (configured checks).
   */
  run: { file: string; args: string[] } | { shell: string };
  timeoutMs: number;
  /** `changed-files`: the files the patch touched are appended (eslint); `project`: the whole project. */
  scope: "project" | "changed-files";
  source: "detected" | "config";
}

/** A check the repository suggests but that cannot run here, and why. */
export interface UnavailableCheck {
  name: string;
  reason: string;
}

export type CheckStatus = "passed" | "failed" | "timed-out" | "skipped";

/** One problem a check reported, keyed without its position so that shifted lines still compare equal. */
export interface Diagnostic {
  /** Relative path, or "" for a problem that belongs to no file. */
  file: string;
  /** `TS2322`, an eslint rule id, `test` for a failing test. */
  code: string;
  message: string;
  /** 1-based, when known (shown, never compared). */
  line?: number;
  column?: number;
}

/** What one run of one check produced. */
export interface CheckRun {
  name: string;
  kind: CheckKind;
  display: string;
  status: CheckStatus;
  exitCode: number | null;
  durationMs: number;
  /** The output trimmed to what matters: first errors, file:line lines, the tail. */
  output: string;
  /** Diagnostics read from the output; undefined when the output has no form grompt can read. */
  diagnostics?: Diagnostic[];
  /** Why it was skipped (an earlier check failed because of the patch, no changed file to lint, ...). */
  skipReason?: string;
}
