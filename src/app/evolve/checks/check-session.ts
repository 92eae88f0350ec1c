import { existsSync } from "node:fs";
import { join } from "node:path";
import type { JobEvent } from "../../../core/domain/job-events";
import type { CheckRun, CheckSpec, Diagnostic } from "./check-spec";
import { type JudgedCheck, judgeCheck } from "./judge-check";
import { runCheck } from "./run-check";

export interface CheckSessionDeps {
  checks: readonly CheckSpec[];
  /** The project directory inside the temporary worktree. */
  cwd: string;
  signal?: AbortSignal;
  /** Appends job events (check-started / check-finished). */
  emit: (event: JobEvent) => Promise<void>;
  /** Runs one check (tests pass a double; default: the real process runner). */
  run?: typeof runCheck;
}

/** The checks of one round, in order; round 0 is the baseline on the untouched tree. */
export interface CheckRound {
  round: number;
  checks: JudgedCheck[];
}

export interface CheckSession {
  /** Runs the project-wide checks on the untouched tree, once (later calls share the first run). */
  baseline(): Promise<void>;
  /** Before a patch is applied: the baseline of the changed-files checks (eslint) for the files it touches. */
  beforeApply(paths: readonly string[]): Promise<void>;
  /** After a patch is applied: every check in order, judged against the baseline; stops at the first the patch broke. */
  run(round: number, changed: readonly string[]): Promise<CheckRound>;
  /** Every round so far, the baseline first. */
  rounds(): CheckRound[];
}

const lintable = /\.(c|m)?(j|t)sx?$|\.(vue|svelte|astro)$/;
/** Output kept in events (the report keeps the full trimmed output). */
const eventOutputChars = 4000;

export function createCheckSession(deps: CheckSessionDeps): CheckSession {
  const run = deps.run ?? runCheck;
  const baselineRuns = new Map<string, CheckRun>();
  /** eslint's baseline per file: the file's errors before the patch. */
  const fileBaselines = new Map<string, Map<string, Diagnostic[]>>();
  const baselineRound: CheckRound = { round: 0, checks: [] };
  const history: CheckRound[] = [];
  let baselineRun: Promise<void> | undefined;

  const execute = async (round: number, check: CheckSpec, files?: readonly string[]): Promise<CheckRun> => {
    await deps.emit({ type: "check-started", round, name: check.name, command: commandLine(check, files) });
    return run({ check, cwd: deps.cwd, files, signal: deps.signal });
  };
  const finished = (round: number, judged: JudgedCheck): Promise<void> => {
    const event: Extract<JobEvent, { type: "check-finished" }> = { type: "check-finished", round, name: judged.name, status: judged.status, durationMs: judged.durationMs };
    if (round > 0) event.causedByPatch = judged.causedByPatch;
    if (judged.status !== "passed" && judged.output !== "") event.output = judged.output.slice(0, eventOutputChars);
    return deps.emit(event);
  };
  const lintTargets = (paths: readonly string[]) => [...new Set(paths)].filter((path) => lintable.test(path) && existsSync(join(deps.cwd, path))).sort();

  return {
    baseline() {
      baselineRun ??= (async () => {
        history.push(baselineRound);
        for (const check of deps.checks) {
          if (check.scope !== "project") continue;
          const result = await execute(0, check);
          baselineRuns.set(check.name, result);
          const judged: JudgedCheck = { ...result, causedByPatch: false, comparedBy: "status" };
          baselineRound.checks.push(judged);
          await finished(0, judged);
        }
      })();
      return baselineRun;
    },
    async beforeApply(paths) {
      for (const check of deps.checks) {
        if (check.scope !== "changed-files") continue;
        const known = fileBaselines.get(check.name) ?? new Map<string, Diagnostic[]>();
        fileBaselines.set(check.name, known);
        const files = lintTargets(paths).filter((path) => !known.has(path));
        if (files.length === 0) continue;
        const result = await execute(0, check, files);
        for (const file of files) known.set(file, (result.diagnostics ?? []).filter((d) => d.file === file));
        const judged: JudgedCheck = { ...result, causedByPatch: false, comparedBy: "status" };
        baselineRound.checks.push(judged);
        await finished(0, judged);
      }
    },
    async run(round, changed) {
      const current: CheckRound = { round, checks: [] };
      history.push(current);
      let brokenBy: string | undefined;
      for (const check of deps.checks) {
        const files = check.scope === "changed-files" ? lintTargets(changed) : undefined;
        const skipReason = brokenBy !== undefined ? `${brokenBy} already failed because of the patch` : files?.length === 0 ? "no changed file it checks" : undefined;
        if (skipReason !== undefined) {
          const skipped: JudgedCheck = { name: check.name, kind: check.kind, display: check.display, status: "skipped", exitCode: null, durationMs: 0, output: "", skipReason, causedByPatch: false, comparedBy: "status" };
          current.checks.push(skipped);
          await finished(round, skipped);
          continue;
        }
        const result = await execute(round, check, files);
        const judged = judgeCheck(result, check.scope === "project" ? baselineRuns.get(check.name) : fileBaseline(fileBaselines.get(check.name), files ?? []));
        current.checks.push(judged);
        await finished(round, judged);
        if (judged.causedByPatch) brokenBy = check.name;
      }
      return current;
    },
    rounds: () => history,
  };
}

/** What a changed-files check reported on these files before the patch (new files had nothing). */
function fileBaseline(known: Map<string, Diagnostic[]> | undefined, files: readonly string[]): Pick<CheckRun, "status" | "diagnostics"> {
  const diagnostics = files.flatMap((file) => known?.get(file) ?? []);
  return { status: diagnostics.length > 0 ? "failed" : "passed", diagnostics };
}

function commandLine(check: CheckSpec, files?: readonly string[]): string {
  if (files === undefined) return check.display;
  const shown = files.slice(0, 5).join(" ") + (files.length > 5 ? ` … (${files.length} files)` : "");
  return check.display.replace("<changed files>", shown);
}
