import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { cleanupTrees, git, gitEnv, gitListing, initRepo, snapshotPort, tempDir, writeTree } from "../../support/snapshot-fixtures";

afterEach(() => vi.unstubAllEnvs());
afterAll(() => cleanupTrees());

const port = snapshotPort();

/**
 * Nested .gitignore files, negations, a directory re-included below an ignored pattern, ignore
 * rules that do not apply to tracked files, .git/info/exclude and a global excludes file.
 */
function fixtureRepo(globalConfig: string): string {
  const root = initRepo(tempDir(), gitEnv({ GIT_CONFIG_GLOBAL: globalConfig }));
  writeTree(root, {
    ".gitignore": "*.log\n/tmp/\nbuild/\n!important.log\nnested/**/secret-*.txt\n",
    "important.log": "kept by a negation\n",
    "debug.log": "ignored\n",
    "tmp/scratch.txt": "ignored (anchored)\n",
    "src/tmp/ok.txt": "not ignored: /tmp/ is anchored at the root\n",
    "src/app.ts": "export {};\n",
    "src/build/generated.ts": "ignored by build/ at any depth\n",
    "nested/.gitignore": "*.md\n!KEEP.md\ncache/\n",
    "nested/KEEP.md": "re-included\n",
    "nested/notes.md": "ignored by nested rule\n",
    "nested/deeper/.gitignore": "!notes.md\n",
    "nested/deeper/notes.md": "re-included deeper\n",
    "nested/deeper/secret-1.txt": "ignored by a ** rule\n",
    "nested/cache/blob.txt": "ignored dir\n",
    "local-only.txt": "ignored through .git/info/exclude\n",
    "global-ignored.bak": "ignored through core.excludesFile\n",
    "tracked-but-ignored.log": "tracked before the rule matched it\n",
    "untracked/new.ts": "untracked but not ignored\n",
    "photo.png": "binary by type",
    ".env": "SECRET=1\n",
    "yarn.lock": "# lockfile\n",
    "web/dist/bundle.js": "build output\n",
  });
  writeFileSync(join(root, ".git", "info", "exclude"), "local-only.txt\n");
  git(root, ["add", ".gitignore", "src/app.ts", "nested/.gitignore", "nested/KEEP.md", "photo.png", "yarn.lock"], gitEnv({ GIT_CONFIG_GLOBAL: globalConfig }));
  git(root, ["add", "-f", "tracked-but-ignored.log"], gitEnv({ GIT_CONFIG_GLOBAL: globalConfig }));
  git(root, ["commit", "-qm", "init"], gitEnv({ GIT_CONFIG_GLOBAL: globalConfig }));
  return root;
}

function globalExcludes(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "excludes"), "*.bak\n");
  writeFileSync(join(dir, "config"), `[core]\n\texcludesFile = ${join(dir, "excludes")}\n`);
  return join(dir, "config");
}

describe("file selection", () => {
  it("inside git equals `git ls-files -co --exclude-standard` minus binaries, secrets and defaults", async () => {
    const config = globalExcludes();
    const root = fixtureRepo(config);
    vi.stubEnv("GIT_CONFIG_GLOBAL", config);
    vi.stubEnv("GIT_CONFIG_NOSYSTEM", "1");
    const gitView = gitListing(root, gitEnv({ GIT_CONFIG_GLOBAL: config }));
    const result = await port.take({ root, outDir: join(tempDir(), "out") });

    const leftOutOnPurpose = new Set(["photo.png", ".env", "yarn.lock", "web/dist/bundle.js"]);
    const expected = gitView.filter((path) => !leftOutOnPurpose.has(path)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(result.source).toBe("git");
    expect(result.manifest.files.map((file) => file.path)).toEqual(expected);
    expect(expected).toEqual(
      expect.arrayContaining(["important.log", "src/tmp/ok.txt", "nested/KEEP.md", "nested/deeper/notes.md", "tracked-but-ignored.log", "untracked/new.ts"]),
    );
    expect(expected).not.toEqual(expect.arrayContaining(["local-only.txt"]));
    expect(expected).not.toEqual(expect.arrayContaining(["global-ignored.bak"]));
    const reasons = Object.fromEntries(result.excluded.map((e) => [e.reason, e.examples]));
    expect(reasons).toEqual({ binary: ["photo.png"], "secret-file": [".env"], "default-exclude": ["web/dist/bundle.js", "yarn.lock"] });
  });

  it("in a subdirectory of a repository lists that subdirectory, as git does there", async () => {
    const config = globalExcludes();
    const root = fixtureRepo(config);
    vi.stubEnv("GIT_CONFIG_GLOBAL", config);
    const result = await port.take({ root: join(root, "nested"), outDir: join(tempDir(), "out") });
    const gitView = gitListing(join(root, "nested"), gitEnv({ GIT_CONFIG_GLOBAL: config }));
    expect(result.manifest.files.map((file) => file.path)).toEqual(gitView.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(gitView).toEqual([".gitignore", "KEEP.md", "deeper/.gitignore", "deeper/notes.md"]);
  });

  it("outside git applies the same .gitignore files the way git does", async () => {
    const config = globalExcludes();
    const repo = fixtureRepo(config);
    // The same tree with nothing tracked: git's view is then pure ignore rules, which is what a
    // plain directory walk must reproduce (minus the repository-only files).
    const plain = join(tempDir(), "plain");
    cpSync(repo, plain, { recursive: true });
    rmSync(join(plain, ".git"), { recursive: true, force: true });
    rmSync(join(plain, "local-only.txt"));
    rmSync(join(plain, "global-ignored.bak"));
    rmSync(join(plain, "tracked-but-ignored.log"));
    const reference = join(tempDir(), "reference");
    cpSync(plain, reference, { recursive: true });
    initRepo(reference);

    const result = await port.take({ root: plain, outDir: join(tempDir(), "out") });
    const leftOutOnPurpose = new Set(["photo.png", ".env", "yarn.lock", "web/dist/bundle.js"]);
    const expected = gitListing(reference).filter((path) => !leftOutOnPurpose.has(path)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(result.source).toBe("filesystem");
    expect(result.manifest.files.map((file) => file.path)).toEqual(expected);
  });

  it("reads a directory that its enclosing repository ignores as a plain directory", async () => {
    const root = initRepo(tempDir());
    writeTree(root, { ".gitignore": "vendor/\n", "vendor/lib/a.js": "a\n", "vendor/lib/.gitignore": "*.tmp\n", "vendor/lib/b.tmp": "b\n" });
    const result = await port.take({ root: join(root, "vendor"), outDir: join(tempDir(), "out") });
    expect(result.source).toBe("filesystem");
    expect(result.manifest.files.map((file) => file.path)).toEqual(["lib/.gitignore", "lib/a.js"]);
  });

  it("reports a nested repository as a directory, not its files", async () => {
    const root = initRepo(tempDir());
    writeTree(root, { "a.txt": "a\n", "inner/b.txt": "b\n" });
    initRepo(join(root, "inner"));
    const result = await port.take({ root, outDir: join(tempDir(), "out") });
    expect(result.manifest.files.map((file) => file.path)).toEqual(["a.txt"]);
    expect(result.excluded).toEqual([{ reason: "not-a-file", count: 1, examples: ["inner/"] }]);
  });
});
