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
 * raced work itself instead of listening to its own signal. It arms no timer of its own: one shared
 * sweep (below) checks every live guard's silence.
 */
class Guard implements AttemptGuard {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  paused = false;
  // Chunks only move `lastActivity`; the sweep compares it with the clock.
  lastActivity = performance.now();
  private rejectWaiting: ((reason: unknown) => void) | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    private readonly caller: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    this.signal = this.controller.signal;
    if (caller?.aborted === true) {
      this.abort(caller.reason);
      return;
    }
    if (caller !== undefined) {
      this.onCallerAbort = () => this.abort(caller.reason);
      caller.addEventListener("abort", this.onCallerAbort, { once: true });
    }
    watch(this);
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
    live.delete(this);
    if (this.onCallerAbort !== undefined) this.caller?.removeEventListener("abort", this.onCallerAbort);
  }

  /** The vendor was silent for timeoutMs (unless the consumer holds a chunk): the attempt times out. */
  check(now: number): void {
    if (this.paused || now - this.lastActivity < this.timeoutMs) return;
    this.timedOut = true;
    this.abort(new DOMException("The provider did not answer in time", "TimeoutError"));
  }

  private abort(reason: unknown): void {
    live.delete(this);
    if (this.signal.aborted) return;
    this.controller.abort(reason);
    this.rejectWaiting?.(abortReason(this.signal));
  }
}

/**
 * The deadline sweep: one unref'd timer for every live guard of the process, instead of a timer
 * armed and cleared per attempt. It ticks every eighth of the shortest live timeout (at most once a
 * second: timeouts are 20–600 s, so an attempt is cut at most 1 s late) and stops when no guard is
 * left. A timeout fires between `timeoutMs` and `timeoutMs` + one tick after the last sign of life.
 */
const live = new Set<Guard>();
let sweeper: NodeJS.Timeout | undefined;
let sweepEveryMs = Number.POSITIVE_INFINITY;
// A timer armed under another clock (a test's fake timers, since uninstalled) would never fire here.
let armedWith: typeof setTimeout | undefined;

const tickFor = (timeoutMs: number): number => Math.min(1_000, Math.max(1, Math.floor(timeoutMs / 8)));

function watch(guard: Guard): void {
  live.add(guard);
  const every = tickFor(guard.timeoutMs);
  if (sweeper === undefined || armedWith !== setTimeout || every < sweepEveryMs) arm(every);
}

function arm(every: number): void {
  if (sweeper !== undefined && armedWith === setTimeout) clearTimeout(sweeper);
  sweepEveryMs = every;
  armedWith = setTimeout;
  sweeper = setTimeout(sweep, every);
  sweeper.unref?.();
}

function sweep(): void {
  sweeper = undefined;
  if (live.size === 0) return;
  const now = performance.now();
  let every = Number.POSITIVE_INFINITY;
  // A guard that times out leaves `live` while it is iterated: Set iteration allows that.
  for (const guard of live) {
    guard.check(now);
    if (live.has(guard)) every = Math.min(every, tickFor(guard.timeoutMs));
  }
  if (live.size > 0) arm(every);
}

/** Live guards and the sweep's tick, for tests. */
export const deadlineSweep = (): { guards: number; tickMs: number | undefined } => ({
  guards: live.size,
  tickMs: sweeper === undefined ? undefined : sweepEveryMs,
});

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
