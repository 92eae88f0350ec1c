/**
 * One attempt's abort signal: fires when the caller cancels, or when the vendor stays silent for
 * `timeoutMs` (the clock restarts at every chunk and is paused while the consumer holds a chunk,
 * so a long answer that keeps flowing is never cut).
 */
export interface AttemptGuard {
  signal: AbortSignal;
  /** True once the timeout (not the caller) fired. */
  readonly timedOut: boolean;
  /** The vendor spoke: restart the clock. */
  touch(): void;
  /** The consumer holds a chunk: stop the clock until `touch`. */
  pause(): void;
  /** Aborts the attempt (the consumer stopped reading); the HTTP request is torn down. */
  abandon(): void;
  /**
   * Settles with `work`, or rejects as soon as the attempt is aborted — so an adapter that ignores
   * its signal still cannot make a call hang. One abort listener serves every chunk of the attempt.
   */
  race<T>(work: Promise<T>): Promise<T>;
  dispose(): void;
}

export function createAttemptGuard(caller: AbortSignal | undefined, timeoutMs: number): AttemptGuard {
  const controller = new AbortController();
  let timedOut = false;
  let paused = false;
  // One timer per attempt: chunks only move `lastActivity`, and the timer, when it fires early,
  // re-arms for the time left. Re-arming a timer on every chunk costs more than the chunk itself.
  let lastActivity = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const onCallerAbort = () => controller.abort(caller?.reason);
  if (caller?.aborted === true) controller.abort(caller.reason);
  else caller?.addEventListener("abort", onCallerAbort, { once: true });
  const check = () => {
    const left = timeoutMs - (performance.now() - lastActivity);
    if (paused || left > 0) {
      arm(paused ? timeoutMs : left);
      return;
    }
    timedOut = true;
    controller.abort(new DOMException("The provider did not answer in time", "TimeoutError"));
  };
  const arm = (ms: number) => {
    timer = setTimeout(check, ms);
    timer.unref();
  };
  arm(timeoutMs);
  let rejectWaiting: ((reason: unknown) => void) | undefined;
  controller.signal.addEventListener("abort", () => rejectWaiting?.(abortReason(controller.signal)), { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    touch() {
      paused = false;
      lastActivity = performance.now();
    },
    pause() {
      paused = true;
    },
    abandon: () => controller.abort(new DOMException("The consumer stopped reading", "AbortError")),
    race<T>(work: Promise<T>): Promise<T> {
      if (controller.signal.aborted) {
        work.catch(() => undefined);
        return Promise.reject(abortReason(controller.signal));
      }
      return new Promise<T>((resolve, reject) => {
        rejectWaiting = reject;
        // A late settlement of abandoned work lands on an already-rejected promise: a no-op.
        work.then(resolve, reject);
      });
    },
    dispose() {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onCallerAbort);
    },
  };
}

const abortReason = (signal: AbortSignal): unknown =>
  signal.reason instanceof Error ? signal.reason : new DOMException("The operation was aborted", "AbortError");

/** Waits `ms`, or rejects when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
