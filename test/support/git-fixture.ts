import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/** git with no user or system configuration, and a fixed identity (a test must not depend on the machine's). */
export const gitEnv: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "grompt tests",
  GIT_AUTHOR_EMAIL: "tests@grompt.invalid",
  GIT_COMMITTER_NAME: "grompt tests",
  GIT_COMMITTER_EMAIL: "tests@grompt.invalid",
};

export const git = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, env: gitEnv, encoding: "utf8" });

/** Writes files under `root` (an `executable:` prefix makes the file 0755). */
export function writeFiles(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    const executable = content.startsWith("executable:");
    writeFileSync(target, executable ? content.slice("executable:".length) : content);
    if (executable) chmodSync(target, 0o755);
  }
  return root;
}

/** A temporary project: a git repository with one commit of `files` (unless `git: false`). */
export function makeProject(files: Record<string, string>, options: { git?: boolean; linkNodeModules?: boolean } = {}): { dir: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), "grompt-project-"));
  const dir = join(base, "project");
  mkdirSync(dir);
  writeFiles(dir, files);
  // The project's checks use this repository's typescript / vitest, as `npm run demo` does.
  if (options.linkNodeModules === true) symlinkSync(join(import.meta.dirname, "..", "..", "node_modules"), join(dir, "node_modules"));
  if (options.git !== false) {
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "initial");
  }
  return { dir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Every file under `root` (links not followed, node_modules and .git skipped) with its bytes and mode. */
export function treeState(root: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === ".git" || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) state[relative(root, path)] = `${(statSync(path).mode & 0o777).toString(8)}:${readFileSync(path).toString("base64")}`;
      else state[relative(root, path)] = "special";
    }
  };
  walk(root);
  return state;
}
