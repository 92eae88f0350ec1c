import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { formatHeader, markerLine } from "../../../src/adapters/snapshot/latx-format";
import { cleanupTrees, git, initRepo, readOutputs, snapshotPort, tempDir, writeTree } from "../../support/snapshot-fixtures";
import { readZip } from "../../support/read-zip";

beforeAll(() => vi.stubEnv("GIT_CONFIG_GLOBAL", "/dev/null"));
afterAll(() => {
  vi.unstubAllEnvs();
  cleanupTrees();
});

const port = snapshotPort();

function tree(): string {
  const root = initRepo(tempDir());
  writeTree(root, {
    "b.txt": "no newline at the end",
    "a/z.ts": "export {};\n",
    "a/empty": "",
    "bin/tool": { executable: "#!/bin/sh\nexit 0\n" },
    "docs/ü ✓.md": "ü\n\n\n",
    "crlf.txt": "one\r\ntwo\r\n",
    "link": { link: "a/z.ts" },
    "dir-link": { link: "a" },
  });
  git(root, ["add", "."]);
  git(root, ["commit", "-qm", "init"]);
  return root;
}

/** Every file under `dir` (not following links) as path → [kind, mode or target, content]. */
function listing(dir: string, prefix = ""): Record<string, [string, string, string]> {
  const out: Record<string, [string, string, string]> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name === ".git") continue;
    const path = join(dir, name);
    const rel = `${prefix}${name}`;
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) out[rel] = ["link", readlinkSync(path), ""];
    else if (stats.isDirectory()) Object.assign(out, listing(path, `${rel}/`));
    else out[rel] = ["file", (stats.mode & 0o111) !== 0 ? "x" : "-", readFileSync(path, "latin1")];
  }
  return out;
}

describe("snapshot.zip", () => {
  it("holds sorted entries with fixed timestamps, normalised modes, links as links and exact bytes", async () => {
    const root = tree();
    const result = await port.take({ root, outDir: join(tempDir(), "out") });
    const entries = await readZip(readOutputs(join(result.outputs.zip, "..")).zip);
    expect(entries.map((e) => e.name)).toEqual(result.manifest.files.map((f) => f.path));
    for (const entry of entries) {
      const file = result.manifest.files.find((f) => f.path === entry.name);
      expect(entry.dosDate).toBe(0x21); // 1980-01-01
      expect(entry.dosTime).toBe(0);
      expect(entry.method).toBe(0); // stored: deflate output differs between zlib builds
      if (file?.mode === "120000") {
        expect(entry.mode).toBe(0o120777);
        expect(entry.content.toString("utf8")).toBe(file.linkTarget);
      } else {
        expect(entry.mode).toBe(file?.mode === "100755" ? 0o100755 : 0o100644);
        expect(entry.content.equals(readFileSync(join(root, entry.name)))).toBe(true);
      }
    }
  });
});

describe("grompt snapshot extract", () => {
  it("restores a snapshot exactly: bytes, empty files, missing final newlines, exec bits and links", async () => {
    const root = tree();
    const result = await port.take({ root, outDir: join(tempDir(), "out") });
    const dest = join(tempDir(), "restored");
    const extracted = await port.extract({ latx: result.outputs.latx, dest });
    expect(extracted).toMatchObject({ files: 6, links: 2, skippedLinks: [] });
    expect(listing(dest)).toEqual(listing(root));
    const again = await port.take({ root: dest, outDir: join(tempDir(), "out") });
    expect(again.id).toBe(result.id);
  });

  it("refuses to overwrite existing files unless told to, and writes nothing when it refuses", async () => {
    const root = tree();
    const result = await port.take({ root, outDir: join(tempDir(), "out") });
    const dest = tempDir();
    writeFileSync(join(dest, "b.txt"), "mine");
    await expect(port.extract({ latx: result.outputs.latx, dest })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("b.txt already exist"),
    });
    expect(readdirSync(dest)).toEqual(["b.txt"]);
    await port.extract({ latx: result.outputs.latx, dest, overwrite: true });
    expect(readFileSync(join(dest, "b.txt"), "utf8")).toBe("no newline at the end");
  });

  const handMade = (files: [string, string][], links: { path: string; target: string }[] = []) => {
    const latx = join(tempDir(), "hand.latx");
    const header = formatHeader({ snapshotId: "0".repeat(64), files: files.length, bytes: 0, executables: [], links });
    writeFileSync(latx, Buffer.concat([header, ...files.flatMap(([p, c]) => [markerLine(p), Buffer.from(`${c}\n`)])]));
    return latx;
  };

  it.each([
    ["an absolute path", "/etc/evil", "absolute path"],
    ["a path that climbs out", "a/../../evil", "leaves the directory"],
    ["a path into .git", ".git/hooks/post-checkout", "writes into .git"],
    ["an empty segment", "a//b", "leaves the directory"],
  ])("refuses %s before writing anything", async (_what, path, message) => {
    const dest = join(tempDir(), "dest");
    await expect(port.extract({ latx: handMade([["ok.txt", "ok"], [path, "evil"]]), dest })).rejects.toMatchObject({
      code: "snapshot_invalid",
      message: expect.stringContaining(message),
    });
    expect(() => statSync(dest)).toThrow();
  });

  it("refuses duplicates and files inside files", async () => {
    await expect(port.extract({ latx: handMade([["a", "1"], ["a", "2"]]), dest: tempDir() })).rejects.toMatchObject({ message: expect.stringContaining("twice") });
    await expect(port.extract({ latx: handMade([["a", "1"], ["a/b", "2"]]), dest: tempDir() })).rejects.toMatchObject({ code: "snapshot_invalid" });
  });

  it("does not write through a link already in the destination", async () => {
    const dest = tempDir();
    const elsewhere = tempDir();
    mkdirSync(join(dest, "real"));
    const { symlinkSync } = await import("node:fs");
    symlinkSync(elsewhere, join(dest, "sub"));
    await expect(port.extract({ latx: handMade([["sub/x.txt", "x"]]), dest, overwrite: true })).rejects.toMatchObject({
      message: expect.stringContaining("symbolic link"),
    });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("skips links that point outside the destination and reports them", async () => {
    const dest = join(tempDir(), "dest");
    const latx = handMade([["a.txt", "a"]], [{ path: "inside", target: "a.txt" }, { path: "out", target: "../../etc/passwd" }, { path: "abs", target: "/etc" }]);
    const result = await port.extract({ latx, dest });
    expect(result.skippedLinks).toEqual([{ path: "out", target: "../../etc/passwd" }, { path: "abs", target: "/etc" }]);
    expect(readdirSync(dest).sort()).toEqual(["a.txt", "inside"]);
  });

  it("explains a missing or malformed .latx", async () => {
    await expect(port.extract({ latx: join(tempDir(), "missing.latx"), dest: tempDir() })).rejects.toMatchObject({ code: "snapshot_invalid" });
    const notLatx = join(tempDir(), "x.latx");
    writeFileSync(notLatx, "just text\n");
    await expect(port.extract({ latx: notLatx, dest: tempDir() })).rejects.toMatchObject({ code: "snapshot_invalid" });
  });
});
