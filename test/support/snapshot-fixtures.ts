import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createLookatniSnapshot } from "../../src/adapters/snapshot/create-lookatni-snapshot";
import { afterAll, beforeAll, vi } from "vitest";
import type { SnapshotPort } from "../../src/core/ports/snapshot-port";
import { openTextAnalysis } from "../../src/app/snapshot/text-analysis";

/** A file's content, or a symbolic link, or an executable. */
export type TreeEntry = string | Buffer | { link: string } | { executable: string };

const made: string[] = [];

/** A fresh temporary directory, removed by `cleanupTrees()`. */
export function tempDir(prefix = "grompt-snap-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupTrees(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes files (paths may be Buffers for names that are not UTF-8). */
export function writeTree(root: string, entries: Record<string, TreeEntry>): string {
  for (const [path, entry] of Object.entries(entries)) writeEntry(join(root, path), entry);
  return root;
}

export function writeEntry(target: string | Buffer, entry: TreeEntry): void {
  const parent = typeof target === "string" ? dirname(target) : dirname(target.toString("latin1"));
  mkdirSync(parent, { recursive: true });
  if (typeof entry === "string" || Buffer.isBuffer(entry)) writeFileSync(target, entry);
  else if ("link" in entry) symlinkSync(entry.link, target);
  else {
    writeFileSync(target, entry.executable);
    chmodSync(target, 0o755);
  }
}

/** git with no user or system configuration (a test must not depend on the machine's). */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "t",
    GIT_AUTHOR_EMAIL: "t@example.com",
    GIT_COMMITTER_NAME: "t",
    GIT_COMMITTER_EMAIL: "t@example.com",
    ...extra,
  };
}

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = gitEnv()): string {
  return execFileSync("git", args, { cwd, env, encoding: "utf8" });
}

export function initRepo(root: string, env?: NodeJS.ProcessEnv): string {
  git(root, ["init", "-q", "-b", "main"], env);
  return root;
}

/** `git ls-files -co --exclude-standard` as raw paths. */
export function gitListing(root: string, env: NodeJS.ProcessEnv = gitEnv()): string[] {
  const out = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, env });
  return out.stdout
    .toString("utf8")
    .split("\0")
    .filter((p) => p.length > 0);
}

/** The snapshot port as the container builds it. */
export function snapshotPort(options: { workers?: number } = {}): SnapshotPort {
  return createLookatniSnapshot({ openTextAnalysis: (bytes, clock) => openTextAnalysis(bytes, clock, options) });
}

export function readOutputs(outDir: string): { manifest: Buffer; latx: Buffer; zip: Buffer } {
  return {
    manifest: readFileSync(join(outDir, "manifest.json")),
    latx: readFileSync(join(outDir, "snapshot.latx")),
    zip: readFileSync(join(outDir, "snapshot.zip")),
  };
}

/** Paths in a manifest, in its order. */
export const manifestPaths = (manifest: Buffer): string[] =>
  (JSON.parse(manifest.toString("utf8")) as { files: { path: string }[] }).files.map((file) => file.path);

/**
 * For a test file that snapshots repositories: git ignores the machine's own config while it runs,
 * and the trees it made are removed at the end. Registers its own beforeAll/afterAll.
 */
export function useIsolatedGitTrees(): void {
  beforeAll(() => {
    vi.stubEnv("GIT_CONFIG_GLOBAL", "/dev/null");
    vi.stubEnv("GIT_CONFIG_NOSYSTEM", "1");
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    cleanupTrees();
  });
}
