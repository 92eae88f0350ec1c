import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createFilesystemBlobStore } from "../../../src/adapters/blob/filesystem/create-filesystem-blob-store";
import { runBlobPortContract } from "../../contracts/blob-port.contract";

const newRoot = () => mkdtemp(join(tmpdir(), "grompt-blobs-"));

runBlobPortContract("filesystem", async () => createFilesystemBlobStore({ root: await newRoot() }));

describe("filesystem blob store", () => {
  it("lays blobs out as <sha256[0:2]>/<sha256>, with file:// URLs and no temporary files left", async () => {
    const root = await newRoot();
    const store = createFilesystemBlobStore({ root });
    const ref = await store.put("content");
    const path = join(root, ref.sha256.slice(0, 2), ref.sha256);
    expect(store.localPath(ref.sha256)).toBe(path);
    expect(fileURLToPath(ref.url)).toBe(path);
    expect(readFileSync(path, "utf8")).toBe("content");
    expect(existsSync(join(root, "tmp")) ? readdirSync(join(root, "tmp")) : []).toEqual([]);
  });
});
