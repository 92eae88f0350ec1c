/**
 * Work a provider call does once its answer is handed back — its "finished" log line and its
 * metrics: queued, and run together right after the current event-loop turn (one `setImmediate`),
 * so a caller never waits for a log write. A close (`flushAfterAnswer`) or a process exit that skips
 * the close runs what is queued; a process killed outright in that turn loses it (log lines and
 * in-memory counters only: the usage ledger has its own write-behind, see usage-ledger.ts).
 */
let queue: (() => void)[] = [];
let scheduled: NodeJS.Immediate | undefined;
let exitHookInstalled = false;

export function afterAnswer(work: () => void): void {
  queue.push(work);
  if (scheduled !== undefined) return;
  scheduled = setImmediate(flushAfterAnswer);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", flushAfterAnswer);
  }
}

/** Runs what is queued now; one failing piece of work does not stop the others. */
export function flushAfterAnswer(): void {
  if (scheduled !== undefined) clearImmediate(scheduled);
  scheduled = undefined;
  const work = queue;
  queue = [];
  for (const run of work) {
    try {
      run();
    } catch {
      // A log line or a metric that cannot be written is not worth failing anything else for.
    }
  }
}
