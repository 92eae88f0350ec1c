import type { SnapshotPort } from "../../core/ports/snapshot-port";

/**
 * A SnapshotPort whose implementation is loaded on first use: the snapshot adapter (its file
 * walker, gitignore rules, secret scanner, zip writer and token counting) costs every command that
 * opens the container about 15 ms to load, and only evolve and `grompt snapshot` take snapshots.
 */
export function lazySnapshotPort(load: () => Promise<SnapshotPort>): SnapshotPort {
  let port: Promise<SnapshotPort> | undefined;
  const loaded = (): Promise<SnapshotPort> => (port ??= load());
  return {
    take: async (request) => (await loaded()).take(request),
    async *entries(latx) {
      yield* (await loaded()).entries(latx);
    },
    extract: async (request) => (await loaded()).extract(request),
  };
}
