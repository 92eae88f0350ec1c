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
  return new Guard(caller, timeoutMs);
}

/**
 * A class rather than a closure per member: a guard is made for every attempt of every call, and
 * its methods then cost nothing to create. The guard alone aborts its controller, so it rejects the
 * raced work itself instead of listening to its own signal.
 */
class Guard implements AttemptGuard {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  private paused = false;
  // One timer per attempt: chunks only move `lastActivity`, and the timer, when it fires early,
  // re-arms for the time left. Re-arming a timer on every chunk costs more than the chunk itself.
  private lastActivity = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private rejectWaiting: ((reason: unknown) => void) | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    this.signal = this.controller.signal;
    if (caller?.aborted === true) this.abort(caller.reason);
    else if (caller !== undefined) {
      this.onCallerAbort = () => this.abort(caller.reason);
      caller.addEventListener("abort", this.onCallerAbort, { once: true });
    }
    this.arm(timeoutMs);
  }

  touch(): void {
    this.paused = false;
    this.lastActivity = performance.now();
  }

  pause(): void {
    this.paused = true;
  }

  abandon(): void {
    this.abort(new DOMException("The consumer stopped reading", "AbortError"));
  }

  race<T>(work: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      work.catch(() => undefined);
      return Promise.reject(abortReason(this.signal));
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectWaiting = reject;
      // A late settlement of abandoned work lands on an already-rejected promise: a no-op.
      work.then(resolve, reject);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    if (this.onCallerAbort !== undefined) this.caller?.removeEventListener("abort", this.onCallerAbort);
  }

  /** The timer fired: the vendor was silent for timeoutMs (unless it spoke or the consumer holds a chunk). */
  check(): void {
    const left = this.timeoutMs - (performance.now() - this.lastActivity);
    if (this.paused || left > 0) {
      this.arm(this.paused ? this.timeoutMs : left);
      return;
    }
    this.timedOut = true;
    this.abort(new DOMException("The provider did not answer in time", "TimeoutError"));
  }

  private arm(ms: number): void {
    this.timer = setTimeout(fireGuard, ms, this);
    this.timer.unref();
  }

  private abort(reason: unknown): void {
    if (this.signal.aborted) return;
    this.controller.abort(reason);
    this.rejectWaiting?.(abortReason(this.signal));
  }
}

const fireGuard = (guard: Guard) => guard.check();

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
