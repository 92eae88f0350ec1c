import type BetterSqlite3 from "better-sqlite3";

/**
 * A write-behind queue's flush. It writes what it holds (a nested transaction: a savepoint inside
 * the turn's one) and reports its own failures; it returns what to do if the turn's COMMIT then
 * fails, since what it wrote is lost with it.
 */
export type TurnFlush = () => ((error: unknown) => void) | undefined;

interface TurnWrites {
  pending: Set<TurnFlush>;
  scheduled: boolean;
}

const byConnection = new WeakMap<BetterSqlite3.Database, TurnWrites>();

/**
 * Runs `flush` after the current event-loop turn, in ONE transaction with every other write-behind
 * queue of the same connection that has something pending (the response cache's stores and the usage
 * ledger's settlements): a provider call's deferred writes cost one `setImmediate`, one BEGIN and one
 * COMMIT — one append of each touched page to the WAL — instead of one of each per queue. While another
 * transaction holds the connection (a kysely one, spanning awaits) the turn waits it out: writes run
 * inside it would vanish with its rollback. Registering the same flush twice runs it once.
 */
export function flushAtTurnEnd(raw: BetterSqlite3.Database, flush: TurnFlush): void {
  let turn = byConnection.get(raw);
  if (turn === undefined) {
    turn = { pending: new Set(), scheduled: false };
    byConnection.set(raw, turn);
  }
  turn.pending.add(flush);
  if (!turn.scheduled) schedule(raw, turn);
}

/** The queue flushed itself (a close, a read that must see it): the turn need not run it. */
export function dropTurnEndFlush(raw: BetterSqlite3.Database, flush: TurnFlush): void {
  byConnection.get(raw)?.pending.delete(flush);
}

function schedule(raw: BetterSqlite3.Database, turn: TurnWrites): void {
  turn.scheduled = true;
  setImmediate(() => {
    turn.scheduled = false;
    if (turn.pending.size === 0) return;
    if (raw.open && raw.inTransaction) {
      schedule(raw, turn);
      return;
    }
    const flushes = [...turn.pending];
    turn.pending.clear();
    runTogether(raw, flushes);
  });
}

function runTogether(raw: BetterSqlite3.Database, flushes: TurnFlush[]): void {
  // A closed connection: each flush reports its own writes as lost.
  if (!raw.open || flushes.length === 1) {
    for (const flush of flushes) flush();
    return;
  }
  const onLost: ((error: unknown) => void)[] = [];
  try {
    raw.transaction(() => {
      for (const flush of flushes) {
        const lost = flush();
        if (lost !== undefined) onLost.push(lost);
      }
    })();
  } catch (error) {
    for (const lost of onLost) lost(error);
  }
}
