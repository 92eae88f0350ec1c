import { execFileSync } from "node:child_process";
import { closeSync, cpSync, existsSync, ftruncateSync, openSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
    git,
  initRepo,
  manifestPaths,
  readOutputs,
  snapshotPort,
  tempDir,
  writeEntry,
  writeTree,
  useIsolatedGitTrees,
} from "../../support/snapshot-fixtures";

useIsolatedGitTrees();

const port = snapshotPort();

function sampleRepo(): string {
  const root = initRepo(tempDir());
  writeTree(root, {
    "README.md": "# sample\n",
    "src/index.ts": 'import { helper } from "./helper";\nexport const main = () => helper();\n',
    "src/helper.ts": "export const helper = () => 42;",
    "src/empty.ts": "",
    "scripts/run.sh": { executable: "#!/bin/sh\necho run\n" },
    "docs/ünïcode name ✓.md": "ünïcödé\n",
    "link-to-readme": { link: "README.md" },
    "untracked.txt": "not committed yet\n",
  });
  git(root, ["add", "README.md", "src", "scripts", "docs", "link-to-readme"]);
  git(root, ["commit", "-qm", "init"]);
  return root;
}

describe("snapshot outputs", () => {
  it("are byte-identical run after run, after touching every file, and from another directory", async () => {
    const root = sampleRepo();
    const first = await port.take({ root, outDir: join(tempDir(), "out") });
    const second = await port.take({ root, outDir: join(tempDir(), "out") });
    const later = new Date(Date.now() + 3_600_000);
    for (const path of first.manifest.files.filter((f) => f.mode !== "120000")) utimesSync(join(root, path.path), later, later);
    const touched = await port.take({ root, outDir: join(tempDir(), "out") });
    const moved = join(tempDir(), "elsewhere");
    cpSync(root, moved, { recursive: true, verbatimSymlinks: true });
    const copied = await port.take({ root: moved, outDir: join(tempDir(), "out") });

    const bytes = [first, second, touched, copied].map((result) => readOutputs(join(result.outputs.manifest, "..")));
    for (const other of bytes.slice(1)) {
      expect(other.manifest.equals(bytes[0]!.manifest)).toBe(true);
      expect(other.latx.equals(bytes[0]!.latx)).toBe(true);
      expect(other.zip.equals(bytes[0]!.zip)).toBe(true);
    }
    expect(new Set([first.id, second.id, touched.id, copied.id]).size).toBe(1);
    expect(bytes[0]!.latx.toString("utf8")).not.toContain(root);
  });

  it("describe every file with size, sha256 and mode, sorted by bytes, with the id = sha256(manifest)", async () => {
    const root = sampleRepo();
    const result = await port.take({ root, outDir: join(tempDir(), "out") });
    const { manifest } = readOutputs(join(result.outputs.manifest, ".."));
    const { createHash } = await import("node:crypto");
    expect(result.id).toBe(createHash("sha256").update(manifest).digest("hex"));
    const paths = manifestPaths(manifest);
    expect(paths).toEqual([...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(paths).toEqual([
      "README.md",
      "docs/ünïcode name ✓.md",
      "link-to-readme",
      "scripts/run.sh",
      "src/empty.ts",
      "src/helper.ts",
      "src/index.ts",
      "untracked.txt",
    ]);
    const byPath = new Map(result.manifest.files.map((f) => [f.path, f]));
    expect(byPath.get("scripts/run.sh")?.mode).toBe("100755");
    expect(byPath.get("src/empty.ts")).toMatchObject({ size: 0, sha256: createHash("sha256").update("").digest("hex"), mode: "100644" });
    expect(byPath.get("link-to-readme")).toMatchObject({ mode: "120000", linkTarget: "README.md", size: 9 });
    expect(result.manifest.totals).toEqual({ files: 8, bytes: result.manifest.files.reduce((s, f) => s + f.size, 0) });
    expect(result.tokens.byPath.get("src/helper.ts")).toBeGreaterThan(5);
    expect(result.tokens.total).toBe([...result.tokens.byPath.values()].reduce((a, b) => a + b, 0));
  });

  it("snapshots an empty repository and an empty directory", async () => {
    for (const root of [initRepo(tempDir()), tempDir()]) {
      const result = await port.take({ root, outDir: join(tempDir(), "out") });
      expect(result.manifest.files).toEqual([]);
      expect(result.tokens.total).toBe(0);
      const { latx, zip } = readOutputs(join(result.outputs.manifest, ".."));
      expect(latx.toString("utf8")).toContain("Total Files: 0");
      expect(zip.length).toBeGreaterThanOrEqual(22);
    }
  });

  it("leaves out binary, huge and non-UTF-8 files and counts them by reason", async () => {
    const root = initRepo(tempDir());
    writeTree(root, {
      "ok.txt": "fine\n",
      "nul.dat.txt": Buffer.from([104, 105, 0, 1, 2]),
      "image.png": "not even a png, but the extension says binary",
      "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
      "marker.txt": "line\n//\x1c/ evil.txt /\x1c//\ninjected\n",
    });
    const huge = join(root, "huge.log");
    const fd = openSync(huge, "w");
    ftruncateSync(fd, 3 * 1024 ** 3); // sparse: 3 GiB of nothing, never read
    closeSync(fd);
    const result = await port.take({ root, outDir: join(tempDir(), "out"), maxFileBytes: 1000 });
    expect(result.manifest.files.map((f) => f.path)).toEqual(["ok.txt"]);
    const reasons = Object.fromEntries(result.excluded.map((e) => [e.reason, e.examples]));
    expect(reasons).toMatchObject({
      binary: ["image.png", "nul.dat.txt"],
      "too-large": ["huge.log"],
      "non-utf8-content": ["latin1.txt"],
      "unframeable-content": ["marker.txt"],
    });
  });

  it("keeps names that are not UTF-8, or hold a newline or 0x1C, out of the outputs and reports them", async () => {
    for (const inGit of [true, false]) {
      const root = tempDir();
      if (inGit) initRepo(root);
      writeTree(root, { "fine.txt": "ok\n", "new\nline.txt": "x\n", "sep\x1cname.txt": "y\n", "back\\slash.txt": "z\n" });
      writeEntry(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x6e, 0xe9, 0x2e, 0x74, 0x78, 0x74])]), "latin-1 name\n");
      const result = await port.take({ root, outDir: join(tempDir(), "out") });
      expect(result.manifest.files.map((f) => f.path)).toEqual(["fine.txt"]);
      const reasons = new Map(result.excluded.map((e) => [e.reason, e.count]));
      expect(reasons.get("non-utf8-name")).toBe(1);
      expect(reasons.get("unframeable-path")).toBe(2);
      expect(reasons.get("unportable-path")).toBe(1);
    }
  });

  it("records links as links and never follows one out of the root", async () => {
    const outside = tempDir();
    writeTree(outside, { "secret.txt": "outside content must never be read\n", "dir/inner.txt": "also outside\n" });
    for (const inGit of [true, false]) {
      const root = tempDir();
      if (inGit) initRepo(root);
      writeTree(root, {
        "a.txt": "inside\n",
        "escape.txt": { link: join(outside, "secret.txt") },
        "relative-escape": { link: "../../../../../../etc/passwd" },
        "dir-link": { link: join(outside, "dir") },
        "dangling": { link: "nowhere" },
      });
      const result = await port.take({ root, outDir: join(tempDir(), "out") });
      const links = result.manifest.files.filter((f) => f.mode === "120000").map((f) => [f.path, f.linkTarget]);
      expect(links).toEqual([
        ["dangling", "nowhere"],
        ["dir-link", join(outside, "dir")],
        ["escape.txt", join(outside, "secret.txt")],
        ["relative-escape", "../../../../../../etc/passwd"],
      ]);
      const { latx, zip } = readOutputs(join(result.outputs.manifest, ".."));
      expect(latx.toString("utf8")).not.toContain("outside content");
      expect(zip.toString("latin1")).not.toContain("outside content");
      expect(latx.toString("utf8")).not.toContain("inner.txt");
    }
  });

  it("does not follow a tracked path whose directory was replaced by a link", async () => {
    const outside = tempDir();
    writeTree(outside, { "file.txt": "outside content must never be read\n" });
    const root = initRepo(tempDir());
    writeTree(root, { "sub/file.txt": "inside\n" });
    git(root, ["add", "."]);
    git(root, ["commit", "-qm", "init"]);
    execFileSync("rm", ["-rf", join(root, "sub")]);
    writeEntry(join(root, "sub"), { link: outside });
    const result = await port.take({ root, outDir: join(tempDir(), "out") });
    expect(result.manifest.files.map((f) => [f.path, f.mode])).toEqual([["sub", "120000"]]);
    expect(readOutputs(join(result.outputs.manifest, "..")).latx.toString("utf8")).not.toContain("outside content");
  });

  it("skips tracked files deleted from the working tree and the output directory inside the tree", async () => {
    const root = initRepo(tempDir());
    writeTree(root, { "kept.txt": "k\n", "gone.txt": "g\n" });
    git(root, ["add", "."]);
    git(root, ["commit", "-qm", "init"]);
    execFileSync("rm", [join(root, "gone.txt")]);
    const out = join(root, "snapshots", "one");
    await port.take({ root, outDir: out });
    const again = await port.take({ root, outDir: out });
    expect(again.manifest.files.map((f) => f.path)).toEqual(["kept.txt"]);
    const fromOutput = again.excluded.find((e) => e.reason === "output-dir");
    expect(fromOutput?.examples).toEqual(expect.arrayContaining(["snapshots/one/manifest.json", "snapshots/one/snapshot.zip"]));
    expect(fromOutput?.examples.every((path) => path.startsWith("snapshots/one/"))).toBe(true);
  });

  it("applies .gromptignore, --exclude, --include and the defaults, with reasons", async () => {
    const root = initRepo(tempDir());
    writeTree(root, {
      ".gromptignore": "# local rules\nfixtures/\n!dist/keep.js\n!dist/\n",
      "src/a.ts": "a\n",
      "src/a.test.ts": "t\n",
      "src/b.min.js": "min\n",
      "dist/keep.js": "built but wanted\n",
      "build/out.js": "built\n",
      "package-lock.json": "{}\n",
      "fixtures/big.json": "{}\n",
      "docs/guide.md": "guide\n",
    });
    const result = await port.take({ root, outDir: join(tempDir(), "out"), exclude: ["*.test.ts"], include: ["src/", "dist/", ".gromptignore"] });
    expect(result.manifest.files.map((f) => f.path)).toEqual([".gromptignore", "dist/keep.js", "src/a.ts"]);
    const reasons = Object.fromEntries(result.excluded.map((e) => [e.reason, e.examples]));
    expect(reasons).toEqual({
      "default-exclude": ["build/out.js", "package-lock.json", "src/b.min.js"],
      gromptignore: ["fixtures/big.json"],
      "exclude-pattern": ["src/a.test.ts"],
      "not-included": ["docs/guide.md"],
    });
  });

  it("fails with one clear error when the root is not a directory or --out cannot be written", async () => {
    const file = join(tempDir(), "plain.txt");
    writeFileSync(file, "x");
    await expect(port.take({ root: file, outDir: join(tempDir(), "out") })).rejects.toMatchObject({ code: "snapshot_invalid" });
    const root = sampleRepo();
    await expect(port.take({ root, outDir: join(file, "sub") })).rejects.toMatchObject({ code: "io_error" });
    await expect(port.take({ root, outDir: file })).rejects.toMatchObject({ code: "io_error", message: expect.stringContaining("a file is in the way") });
    expect(readFileSync(file, "utf8")).toBe("x");
    if (process.platform === "linux") {
      // /proc refuses new directories even to root (and trips Node's recursive mkdir into a loop).
      await expect(port.take({ root, outDir: "/proc/self/grompt-out" })).rejects.toMatchObject({ code: "io_error" });
    }
  });

  it("leaves nothing behind when the run is canceled", async () => {
    const root = sampleRepo();
    const parent = tempDir();
    const out = join(parent, "out");
    const controller = new AbortController();
    controller.abort();
    await expect(port.take({ root, outDir: out, signal: controller.signal })).rejects.toMatchObject({ code: "canceled" });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("counts tokens on worker threads exactly as on the main thread", async () => {
    const root = sampleRepo();
    const onMain = await snapshotPort({ workers: 0 }).take({ root, outDir: join(tempDir(), "out") });
    const onWorker = await snapshotPort({ workers: 2 }).take({ root, outDir: join(tempDir(), "out") });
    expect([...onWorker.tokens.byPath]).toEqual([...onMain.tokens.byPath]);
    expect(statSync(onWorker.outputs.latx).size).toBe(readFileSync(onMain.outputs.latx).length);
  });
});
