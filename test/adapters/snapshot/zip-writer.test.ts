import { createWriteStream, readFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { join } from "node:path";
import { ZipArchive } from "archiver";
import { afterAll, describe, expect, it } from "vitest";
import { createZipWriter } from "../../../src/adapters/snapshot/zip-writer";
import { cleanupTrees, tempDir } from "../../support/snapshot-fixtures";

afterAll(() => cleanupTrees());

type Entry = { path: string; content: Buffer; executable?: boolean } | { path: string; link: string };

/** The zip archiver@8 writes for these entries, with the options and entry data grompt used to give it. */
async function archiverZip(file: string, entries: Entry[]): Promise<Buffer> {
  const archive = new ZipArchive({ store: true });
  const done = pipeline(archive, createWriteStream(file));
  const date = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
  for (const entry of entries) {
    if ("link" in entry) archive.append(Buffer.alloc(0), { name: entry.path, date, mode: 0o777, type: "symlink", linkname: entry.link });
    else archive.append(entry.content, { name: entry.path, date, mode: entry.executable === true ? 0o755 : 0o644, type: "file" });
  }
  await archive.finalize();
  await done;
  return readFileSync(file);
}

async function gromptZip(file: string, entries: Entry[]): Promise<Buffer> {
  const zip = await createZipWriter(file);
  for (const entry of entries) {
    if ("link" in entry) await zip.addLink(entry.path, entry.link);
    else await zip.addFile(entry.path, entry.content, entry.executable === true);
  }
  await zip.finish();
  return readFileSync(file);
}

describe("zip writer", () => {
  it("writes exactly the bytes archiver writes: names, modes, links, empty and large files", async () => {
    const dir = tempDir();
    const entries: Entry[] = [
      { path: "README.md", content: Buffer.from("# title\n") },
      { path: "bin/run", content: Buffer.from("#!/bin/sh\necho run\n"), executable: true },
      { path: "docs/ünïcode name ✓.md", content: Buffer.from("ünïcödé 日本語 🎉\n") },
      { path: "docs/latest", link: "v2" },
      { path: "docs/ünï-link", link: "../ünïcode name ✓.md" },
      { path: "empty.txt", content: Buffer.alloc(0) },
      { path: "src/big.ts", content: Buffer.from("export const line = 'x';\n".repeat(80_000)) },
      { path: "z/deep/nested/path/file with spaces.txt", content: Buffer.from("spaces\r\n") },
    ];
    const expected = await archiverZip(join(dir, "archiver.zip"), entries);
    const actual = await gromptZip(join(dir, "grompt.zip"), entries);
    expect(actual.length).toBe(expected.length);
    expect(actual.equals(expected)).toBe(true);
    expect((await gromptZip(join(dir, "empty.zip"), [])).equals(await archiverZip(join(dir, "archiver-empty.zip"), []))).toBe(true);
  });

  it("switches to zip64 end records past 65,535 entries, as archiver does", async () => {
    const dir = tempDir();
    const entries: Entry[] = Array.from({ length: 65_537 }, (_, i) => ({ path: `f/${i.toString(36)}`, content: Buffer.alloc(0) }));
    const actual = await gromptZip(join(dir, "grompt.zip"), entries);
    expect(actual.readUInt32LE(actual.length - 22 - 20 - 56)).toBe(0x06064b50);
    expect(actual.equals(await archiverZip(join(dir, "archiver.zip"), entries))).toBe(true);
  }, 60_000);
});
