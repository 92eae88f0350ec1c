import { describe, expect, it } from "vitest";
import { ulidFactory } from "../../../src/app/ids/ulid-factory";

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const decodeTime = (id: string) => [...id.slice(0, 10)].reduce((value, char) => value * 32 + crockford.indexOf(char), 0);

describe("ulidFactory", () => {
  it("makes ULIDs that carry the seed time and sort in the order they were made, within one millisecond too", () => {
    const next = ulidFactory();
    const at = Date.parse("2026-01-02T03:04:05.678Z");
    const ids = Array.from({ length: 5_000 }, () => next(at));
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(decodeTime(ids[0] as string)).toBe(at);
  });

  it("draws the random part afresh for each new millisecond (the pooled bytes are not reused)", () => {
    const next = ulidFactory();
    const randomParts = Array.from({ length: 2_000 }, (_, i) => next(1_700_000_000_000 + i).slice(10));
    expect(new Set(randomParts).size).toBe(randomParts.length);
    // Every character of the alphabet shows up in 32,000 random characters: the bytes are spread, not stuck.
    expect(new Set(randomParts.join("")).size).toBe(32);
  });
});
