import type { SqliteHandle } from "../../src/adapters/store/sqlite/open-database";

/**
 * Another caller's kysely transaction held open on the same connection: it writes a `doomed`
 * counter, waits until `release()`, then rolls back. `outcome` resolves to the rollback's message.
 * For proving that a write made meanwhile neither joins it nor is lost with it.
 */
export function holdDoomedTransaction(handle: SqliteHandle): { release(): void; outcome: Promise<string> } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const outcome = handle.db
    .transaction()
    .execute(async (tx) => {
      await tx.insertInto("counters").values({ name: "doomed", value: 1 }).execute();
      await held;
      throw new Error("roll back");
    })
    .catch((error: unknown) => (error as Error).message);
  return { release, outcome };
}
