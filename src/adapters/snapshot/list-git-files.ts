import { execFile } from "node:child_process";
import { GromptError } from "../../core/domain/errors";

interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const runGit = (cwd: string, args: string[]): Promise<GitRun> =>
  new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      { cwd, encoding: "buffer", maxBuffer: 1 << 30, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" } },
      (error, stdout, stderr) => {
        const errno = (error as NodeJS.ErrnoException | null)?.code;
        if (errno === "ENOENT") return reject(Object.assign(new Error("git is not installed"), { code: "ENOENT" }));
        if (typeof errno === "string") return reject(error);
        const code = error === null ? 0 : typeof errno === "number" ? errno : 1;
        resolve({ code, stdout, stderr: stderr.toString("utf8") });
      },
    );
  });

/**
 * Git's own view of the working tree under `root`: tracked files plus untracked files that no
 * ignore rule hides (nested .gitignore files, negations, .git/info/exclude, core.excludesFile).
 * Undefined when `root` is not in a work tree — or is itself ignored by the repository around it
 * (then git's view is empty, and the tree is read as a plain directory instead).
 * Paths are raw bytes relative to `root`; a nested repository shows up as `dir/`.
 */
export async function listGitFiles(root: string): Promise<Buffer[] | undefined> {
  let probe: GitRun;
  try {
    probe = await runGit(root, ["rev-parse", "--is-inside-work-tree", "--show-prefix"]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (probe.code !== 0) {
    if (/not a git repository/i.test(probe.stderr)) return undefined;
    throw new GromptError("io_error", `git cannot read ${root}: ${firstLine(probe.stderr)}`, {
      hint: "Fix the repository (or `git config --global --add safe.directory <dir>`), or snapshot a plain directory.",
    });
  }
  const [inside, prefix = ""] = probe.stdout.toString("utf8").split("\n");
  if (inside !== "true") return undefined;
  if (prefix !== "") {
    const ignored = await runGit(root, ["check-ignore", "-q", "--", "."]);
    if (ignored.code === 0) return undefined;
  }
  const listing = await runGit(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  if (listing.code !== 0) {
    throw new GromptError("io_error", `git ls-files failed in ${root}: ${firstLine(listing.stderr)}`);
  }
  return splitNul(listing.stdout);
}

function splitNul(bytes: Buffer): Buffer[] {
  const paths: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0, start); at !== -1; at = bytes.indexOf(0, start)) {
    if (at > start) paths.push(bytes.subarray(start, at));
    start = at + 1;
  }
  return paths;
}

const firstLine = (text: string): string => text.trim().split("\n")[0] ?? "";
