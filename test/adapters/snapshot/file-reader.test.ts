import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createFileReader } from "../../../src/adapters/snapshot/file-reader";
import { cleanupTrees, tempDir } from "../../support/snapshot-fixtures";

afterAll(() => cleanupTrees());

function files(): (string | undefined)[] {
  const dir = tempDir();
  const list: (string | undefined)[] = [];
  for (let i = 0; i < 40; i++) {
    const path = join(dir, `f${i}.txt`);
    writeFileSync(path, `file ${i}\n`);
    list.push(i % 7 === 3 ? undefined : path);
  }
  list[10] = join(dir, "missing.txt");
  symlinkSync(join(dir, "f0.txt"), join(dir, "link.txt"));
  list[11] = join(dir, "link.txt");
  return list;
}

async function readAll(slowReadMs: number): Promise<string[]> {
  const list = files();
  const reader = createFileReader(list, { slowReadMs, window: 4 });
  const out: string[] = [];
  for (const [index, path] of list.entries()) {
    if (path === undefined) continue;
    try {
      out.push((await reader.read(index)).toString("utf8"));
    } catch (error) {
      out.push(`error ${(error as NodeJS.ErrnoException).code}`);
    }
  }
  return out;
}

describe("file reader", () => {
  it("gives the same bytes and errors whether it reads synchronously or ahead, and never follows a link", async () => {
    const fast = await readAll(Number.POSITIVE_INFINITY);
    const ahead = await readAll(-1);
    expect(ahead).toEqual(fast);
    expect(fast[0]).toBe("file 0\n");
    expect(fast).toContain("error ENOENT");
    expect(fast).toContain("error ELOOP");
    // 40 files, 5 not read (every 7th from 3, but 10 became the missing one), 2 errors.
    expect(fast.filter((s) => s.startsWith("file"))).toHaveLength(33);
  });
});
