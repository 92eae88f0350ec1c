/** Flushes of write-behind queues holding writes, run when the process exits without closing them. */
const unflushed = new Set<() => void>();
let exitHookInstalled = false;

/** `flush` runs at process exit unless `forgetOnExit` is called first (it flushed, or closed). */
export function flushOnExit(flush: () => void): void {
  unflushed.add(flush);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const pending of [...unflushed]) pending();
  });
}

export function forgetOnExit(flush: () => void): void {
  unflushed.delete(flush);
}
