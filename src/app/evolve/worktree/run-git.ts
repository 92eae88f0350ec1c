import { execa } from "execa";
import { GromptError } from "../../../core/domain/errors";

export interface GitContext {
  /** Where git runs. */
  cwd: string;
  /** GIT_DIR / GIT_WORK_TREE / GIT_INDEX_FILE for private repositories and temporary indexes. */
  env?: Record<string, string>;
}

/**
 * Settings that keep git from doing anything the user did not ask for inside grompt's worktrees:
 * no hooks (a post-checkout hook must not run), no fsmonitor daemon, no colour, no pager.
 */
const quiet = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "color.ui=never", "-c", "advice.detachedHead=false", "--no-pager", "--literal-pathspecs"];

/** Variables a surrounding git (a hook, a rebase) may have set; they would point git at the wrong repository. */
const inherited = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE"];

export interface RunGitOptions {
  input?: string;
  /** Resolve with undefined instead of throwing when git exits non-zero. */
  allowFailure?: boolean;
  signal?: AbortSignal;
}

/** Runs git and returns its stdout (trailing newline kept off); `io_error` naming the command when it fails. */
export async function runGit(context: GitContext, args: string[], options: RunGitOptions = {}): Promise<string | undefined> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" };
  for (const name of inherited) delete env[name];
  Object.assign(env, context.env);
  const result = await execa("git", [...quiet, ...args], {
    cwd: context.cwd,
    env,
    extendEnv: false,
    input: options.input,
    stdin: options.input === undefined ? "ignore" : undefined,
    reject: false,
    stripFinalNewline: false,
    encoding: "utf8",
    cancelSignal: options.signal,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.exitCode === 0) return String(result.stdout ?? "");
  options.signal?.throwIfAborted();
  if (options.allowFailure === true) return undefined;
  const reason = (String(result.stderr ?? "") || (result.shortMessage ?? "")).trim().split("\n").slice(0, 3).join(" ");
  throw new GromptError("io_error", `git ${args.slice(0, 2).join(" ")} failed in ${context.cwd}: ${reason}`, {
    hint: "Check that git works in this directory (git status), then run again.",
    details: { args: args.slice(0, 6), exitCode: result.exitCode },
  });
}

/** NUL-separated git output as a list. */
export const splitNul = (text: string | undefined): string[] => (text ?? "").split("\0").filter((entry) => entry.length > 0);
