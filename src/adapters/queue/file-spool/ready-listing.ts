/** Ready entry names in claim order, and how far claiming has gone through them. */
export interface ReadyNames {
  names: string[];
  next: number;
}

/** A big listing is reused for at least this many times as long as it took, so listing stays a small share of the work... */
const reuseFactor = 20;
/** ...where big means this many names (fewer take under a millisecond to list: `maxAgeMs` rules). */
const bigListing = 1_000;

/**
 * A listing of ready/ reused between claims for up to `maxAgeMs` — or, for a big backlog, for
 * `reuseFactor` times as long as listing it took: listing 50,000 entries costs some 30 ms of CPU,
 * and doing it every 100 ms while a flood of jobs arrives took a third of the process. Listing and
 * sorting the directory on every claim made draining a backlog quadratic. Entries this process
 * makes ready join the listing in order at once; entries from other processes are seen when it is
 * next listed.
 */
export function createReadyListing(deps: { list: () => Promise<string[]>; beforeListing: () => Promise<void>; maxAgeMs: number }) {
  let current: (ReadyNames & { listedAt: number; reuseMs: number }) | undefined;
  return {
    /** A recent listing with names left to try, or a new one (after `beforeListing`). */
    async candidates(): Promise<ReadyNames> {
      const fresh = current !== undefined && performance.now() - current.listedAt < current.reuseMs;
      if (!fresh || current === undefined || current.next >= current.names.length) {
        const started = performance.now();
        await deps.beforeListing();
        const names = await deps.list();
        const listedAt = performance.now();
        current = { names, next: 0, listedAt, reuseMs: names.length < bigListing ? deps.maxAgeMs : Math.max(deps.maxAgeMs, reuseFactor * (listedAt - started)) };
      }
      return current;
    },
    /** An entry this process made ready: inserted in order among the names not tried yet. */
    note(name: string): void {
      if (current === undefined) return;
      let low = current.next;
      let high = current.names.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((current.names[middle] as string) < name) low = middle + 1;
        else high = middle;
      }
      current.names.splice(low, 0, name);
    },
    /** The next claim lists the directory again. */
    forget(): void {
      current = undefined;
    },
  };
}
