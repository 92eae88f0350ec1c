import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempRepo {
  root: string;
  read(path: string): string;
  bytes(path: string): Buffer;
  write(path: string, content: string | Uint8Array, mode?: number): void;
  /** `git status --porcelain`: empty when the tree is as committed. */
  status(): string;
  remove(): void;
}

/** A real git repository in a temp directory, with these files committed. */
export function makeTempRepo(files: Record<string, string | Uint8Array>, options: { git?: boolean } = {}): TempRepo {
  const root = mkdtempSync(join(tmpdir(), "grompt-patch-"));
  const git = (...args: string[]): string =>
    execFileSync("git", ["-c", "user.name=grompt", "-c", "user.email=grompt@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: root, encoding: "utf8" });
  const repo: TempRepo = {
    root,
    read: (path) => readFileSync(join(root, path), "utf8"),
    bytes: (path) => readFileSync(join(root, path)),
    write(path, content, mode) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
      if (mode !== undefined) chmodSync(join(root, path), mode);
    },
    status: () => git("status", "--porcelain", "--untracked-files=all"),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  if (options.git !== false) {
    git("init", "-q", "-b", "main");
    git("config", "core.autocrlf", "false");
    git("add", "-A");
    git("commit", "-q", "-m", "fixture", "--allow-empty");
  }
  return repo;
}
