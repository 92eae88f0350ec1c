import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFilesystemBlobStore } from "../../../src/adapters/blob/filesystem/create-filesystem-blob-store";
import { snapshotRecords, storeSnapshot } from "../../../src/app/snapshot/store-snapshot";
import { snapshotTree } from "../../../src/app/snapshot/snapshot-tree";
import { cleanupTrees, initRepo, snapshotPort, tempDir, writeTree } from "../../support/snapshot-fixtures";

beforeAll(() => vi.stubEnv("GIT_CONFIG_GLOBAL", "/dev/null"));
afterAll(() => {
  vi.unstubAllEnvs();
  cleanupTrees();
});

const port = snapshotPort();

describe("storeSnapshot", () => {
  it("moves the three outputs into the blob store and maps them to job records", async () => {
    const root = writeTree(initRepo(tempDir()), { "a.ts": "export const a = 1;\n" });
    const home = tempDir();
    const blobs = createFilesystemBlobStore({ root: join(home, "artifacts") });
    const scratchDir = join(home, "tmp");
    const stored = await storeSnapshot({ root }, { snapshots: port, blobs, scratchDir });
    expect(readdirSync(scratchDir)).toEqual([]);
    const manifest = Buffer.from(await blobs.get(stored.refs.manifest.sha256));
    expect(stored.refs.manifest.sha256).toBe(stored.snapshot.id);
    expect(JSON.parse(manifest.toString("utf8")).files[0].path).toBe("a.ts");
    const latx = Buffer.from(await blobs.get(stored.refs.latx.sha256)).toString("utf8");
    expect(latx).toContain(`Snapshot: ${stored.snapshot.id}`);

    const records = snapshotRecords("job-1", stored, "2026-01-01T00:00:00.000Z");
    expect(records.snapshot).toEqual({
      jobId: "job-1",
      snapshotId: stored.snapshot.id,
      storageUrl: stored.refs.latx.url,
      bytes: stored.refs.latx.bytes,
      sha256: stored.refs.latx.sha256,
      files: 1,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    expect(records.artifacts.map((a) => [a.name, a.kind, a.sha256])).toEqual([
      ["manifest.json", "snapshot-manifest", stored.refs.manifest.sha256],
      ["snapshot.latx", "snapshot-latx", stored.refs.latx.sha256],
      ["snapshot.zip", "snapshot-zip", stored.refs.zip.sha256],
    ]);
  });

  it("cleans its scratch directory when the snapshot fails", async () => {
    const root = writeTree(initRepo(tempDir()), { "a.ts": `const t = "ghp_${"A1b2C3d4E5".repeat(3)}abcdef";\n` });
    const home = tempDir();
    const scratchDir = join(home, "tmp");
    await expect(storeSnapshot({ root }, { snapshots: port, blobs: createFilesystemBlobStore({ root: join(home, "artifacts") }), scratchDir })).rejects.toMatchObject({ code: "secret_detected" });
    expect(readdirSync(scratchDir)).toEqual([]);
  });
});

describe("snapshotTree", () => {
  it("writes to $GROMPT_HOME/snapshots/<id> by default and never snapshots earlier snapshots", async () => {
    const home = join(tempDir(), "home");
    const root = writeTree(initRepo(tempDir()), { "a.ts": "a\n" });
    const insideHome = join(root, ".grompt-home");
    const first = await snapshotTree({ root }, { snapshots: port, home });
    expect(first.outputs.latx).toBe(join(home, "snapshots", first.id, "snapshot.latx"));
    expect(readFileSync(first.outputs.latx, "utf8")).toContain(`Snapshot: ${first.id}`);
    const again = await snapshotTree({ root }, { snapshots: port, home });
    expect(again.id).toBe(first.id);
    expect(readdirSync(join(home, "snapshots"))).toEqual([first.id]);

    await snapshotTree({ root }, { snapshots: port, home: insideHome });
    const third = await snapshotTree({ root }, { snapshots: port, home: insideHome });
    expect(third.manifest.files.map((f) => f.path)).toEqual(["a.ts"]);
  });
});
