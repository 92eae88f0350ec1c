import { describe, expect, it } from "vitest";
import { createReadyListing } from "../../src/adapters/queue/file-spool/ready-listing";

function directory(initial: string[]) {
  const state = { names: [...initial], listings: 0, promotions: 0 };
  const listing = (maxAgeMs: number) =>
    createReadyListing({
      list: async () => {
        state.listings += 1;
        return [...state.names].sort();
      },
      beforeListing: async () => void (state.promotions += 1),
      maxAgeMs,
    });
  return { state, listing };
}

describe("ready listing", () => {
  it("reuses one listing while it is fresh and has names left, promoting due entries before each listing", async () => {
    const { state, listing } = directory(["b", "a", "c"]);
    const ready = listing(60_000);
    const first = await ready.candidates();
    expect(first.names).toEqual(["a", "b", "c"]);
    first.next = 2;
    expect(await ready.candidates()).toBe(first);
    first.next = 3;
    // Exhausted: listed again, even though fresh.
    state.names = ["d"];
    expect((await ready.candidates()).names).toEqual(["d"]);
    expect(state).toMatchObject({ listings: 2, promotions: 2 });
  });

  it("lists again once the listing is older than maxAgeMs, or after forget()", async () => {
    const { state, listing } = directory(["a", "b"]);
    const stale = listing(0);
    await stale.candidates();
    await stale.candidates();
    expect(state.listings).toBe(2);

    const ready = listing(60_000);
    await ready.candidates();
    ready.forget();
    await ready.candidates();
    expect(state.listings).toBe(4);
  });

  it("inserts an entry made ready here in order among the names not tried yet", async () => {
    const { listing } = directory(["a", "c", "e"]);
    const ready = listing(60_000);
    const names = await ready.candidates();
    names.next = 1;
    ready.note("d");
    ready.note("0"); // sorts before everything: still goes among the untried ones, never behind the cursor
    ready.note("f");
    expect(names.names).toEqual(["a", "0", "c", "d", "e", "f"]);
    expect(names.names.slice(names.next)).toEqual(["0", "c", "d", "e", "f"]);
  });

  it("ignores notes while there is no listing (the next one will see the entry)", async () => {
    const { listing } = directory(["a"]);
    const ready = listing(60_000);
    ready.note("b");
    expect((await ready.candidates()).names).toEqual(["a"]);
  });
});

describe("ready listing of a big backlog", () => {
  it("reuses a big listing for 20 times as long as listing it took, even past maxAgeMs", async () => {
    let listings = 0;
    const names = Array.from({ length: 2_000 }, (_, index) => `n${String(index).padStart(5, "0")}`);
    const ready = createReadyListing({
      list: async () => {
        listings += 1;
        await new Promise((resolve) => setTimeout(resolve, 20)); // a slow listing: ≥ 20 ms
        return [...names];
      },
      beforeListing: async () => undefined,
      maxAgeMs: 1,
    });
    await ready.candidates();
    await new Promise((resolve) => setTimeout(resolve, 50)); // past maxAgeMs, well within 20 × 20 ms
    await ready.candidates();
    expect(listings).toBe(1);
    ready.forget();
    await ready.candidates();
    expect(listings).toBe(2);
  });
});
