/** Ready entry names in claim order, and how far claiming has gone through them. */
export interface ReadyNames {
  names: string[];
  next: number;
}

/**
 * A listing of ready/ reused between claims for up to `maxAgeMs`. Listing and sorting the directory
 * on every claim made draining a backlog quadratic. Entries this process makes ready join the
 * listing in order at once; entries from other processes are seen when it is next listed.
 */
export function createReadyListing(deps: { list: () => Promise<string[]>; beforeListing: () => Promise<void>; maxAgeMs: number }) {
  let current: (ReadyNames & { listedAt: number }) | undefined;
  return {
    /** A recent listing with names left to try, or a new one (after `beforeListing`). */
    async candidates(): Promise<ReadyNames> {
      const fresh = current !== undefined && performance.now() - current.listedAt < deps.maxAgeMs;
      if (!fresh || current === undefined || current.next >= current.names.length) {
        await deps.beforeListing();
        current = { names: await deps.list(), next: 0, listedAt: performance.now() };
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
