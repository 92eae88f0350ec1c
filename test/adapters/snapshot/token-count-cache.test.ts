import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTokenCountCache } from "../../../src/adapters/snapshot/token-count-cache";
import {
  RECORD_BYTES,
  buildTokenCountTable,
  findTokenCount,
  mergeTokenCountTables,
  readRecord,
} from "../../../src/adapters/snapshot/token-count-table";
import { cleanupTrees, tempDir } from "../../support/snapshot-fixtures";

afterAll(() => cleanupTrees());

const digest = (text: string) => createHash("sha256").update(text).digest();
const hex = (text: string) => digest(text).toString("hex");
const table = (records: Buffer) => ({ records, count: records.length / RECORD_BYTES });

describe("token count table", () => {
  it("finds every count it holds by digest, and nothing else", () => {
    const entries = Array.from({ length: 500 }, (_, i) => ({ sha256: hex(`file ${i}`), tokens: i * 7, day: 20_000 + (i % 3) }));
    const built = table(buildTokenCountTable([...entries, ...entries.slice(0, 10)]));
    expect(built.count).toBe(500); // duplicates kept once
    for (const [i, entry] of entries.entries()) expect(findTokenCount(built, digest(`file ${i}`))).toBe(entry.tokens);
    expect(findTokenCount(built, digest("never counted"))).toBeUndefined();
    expect(findTokenCount(table(Buffer.alloc(0)), digest("file 1"))).toBeUndefined();
    const sorted = Array.from({ length: built.count }, (_, i) => readRecord(built, i).sha256);
    expect(sorted).toEqual([...sorted].sort());
  });

  it("merges newer over older and, past the limit, drops the days used longest ago", () => {
    const older = table(buildTokenCountTable([
      { sha256: hex("a"), tokens: 1, day: 10 },
      { sha256: hex("b"), tokens: 2, day: 11 },
      { sha256: hex("c"), tokens: 3, day: 12 },
      { sha256: hex("d"), tokens: 4, day: 12 },
    ]));
    const newer = table(buildTokenCountTable([{ sha256: hex("a"), tokens: 1, day: 20 }, { sha256: hex("e"), tokens: 5, day: 20 }]));
    const merged = table(mergeTokenCountTables(newer, older, 100));
    expect(merged.count).toBe(5);
    expect(Array.from({ length: 5 }, (_, i) => readRecord(merged, i)).find((r) => r.sha256 === hex("a"))?.day).toBe(20);
    const pruned = table(mergeTokenCountTables(newer, older, 4));
    // b (day 11) goes; c and d (day 12) both stay, since with a and e they fit exactly.
    expect(["a", "b", "c", "d", "e"].filter((key) => findTokenCount(pruned, digest(key)) !== undefined)).toEqual(["a", "c", "d", "e"]);
    const tighter = table(mergeTokenCountTables(newer, older, 3));
    // Day 12 no longer fits whole: both of its records go rather than an arbitrary one.
    expect(["a", "b", "c", "d", "e"].filter((key) => findTokenCount(tighter, digest(key)) !== undefined)).toEqual(["a", "e"]);
  });
});

describe("token count cache file", () => {
  const counts = (keys: string[]) => keys.map((key, i) => ({ sha256: hex(key), tokens: 100 + i }));

  it("remembers counts across instances, for its own tokenizer only", async () => {
    const path = join(tempDir(), "home", "token-counts.bin");
    expect(createTokenCountCache({ path, tokenizer: "t1" }).load().count).toBe(0);
    await createTokenCountCache({ path, tokenizer: "t1", today: () => 5 }).save(counts(["x", "y"]));
    const loaded = createTokenCountCache({ path, tokenizer: "t1" }).load();
    expect(loaded.records.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([findTokenCount(loaded, digest("x")), findTokenCount(loaded, digest("y")), findTokenCount(loaded, digest("z"))]).toEqual([100, 101, undefined]);
    expect(createTokenCountCache({ path, tokenizer: "t2" }).load().count).toBe(0);
  });

  it("rewrites the file only when a count is new or was last used on another day, merging with what is on disk", async () => {
    const path = join(tempDir(), "token-counts.bin");
    let day = 5;
    const cache = createTokenCountCache({ path, tokenizer: "t", today: () => day });
    await cache.save(counts(["x", "y"]));
    const written = readFileSync(path);
    const { ino, mtimeMs } = statSync(path);
    await cache.save(counts(["x", "y"]));
    expect(statSync(path).ino).toBe(ino); // same day, nothing new: not rewritten
    expect(statSync(path).mtimeMs).toBe(mtimeMs);
    // Another process adds its own counts meanwhile: both survive.
    await createTokenCountCache({ path, tokenizer: "t", today: () => day }).save(counts(["z"]));
    day = 6;
    await cache.save(counts(["x"]));
    const loaded = cache.load();
    expect(["x", "y", "z"].map((key) => findTokenCount(loaded, digest(key)))).toEqual([100, 101, 100]);
    expect(Array.from({ length: loaded.count }, (_, i) => readRecord(loaded, i)).find((r) => r.sha256 === hex("x"))?.day).toBe(6);
    expect(readFileSync(path).equals(written)).toBe(false);
  });

  it("reads a damaged, truncated or foreign file as empty, and replaces it on the next save", async () => {
    const path = join(tempDir(), "token-counts.bin");
    const cache = createTokenCountCache({ path, tokenizer: "t" });
    await cache.save(counts(["x", "y", "z"]));
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 5) ^ 1, flipped.length - 5); // one count changed: the checksum no longer matches
    for (const bad of [flipped, good.subarray(0, good.length - 3), good.subarray(0, 50), Buffer.from("not a cache"), Buffer.alloc(0)]) {
      writeFileSync(path, bad);
      expect(cache.load().count).toBe(0);
    }
    await cache.save(counts(["x"]));
    expect(findTokenCount(cache.load(), digest("x"))).toBe(100);
  });
});
