import type { JobEvent } from "../../core/domain/job-events";

export interface JobEventWriterOptions {
  /** The provider call the chunks belong to. */
  callId: string;
  /** Appends events to the job's log, in order (JobContext.emit). */
  write: (events: JobEvent[]) => Promise<void>;
  /** At most one write starts per interval (ms, default 40): a long answer becomes tens of events a second, not thousands. */
  intervalMs?: number;
  /** Pending text this long is written without waiting for the interval (default 8192 characters). */
  maxChars?: number;
}

export interface JobEventWriter {
  /** Queues answer text; consecutive chunks become one `provider-chunk` event. Throws the first failed write. */
  chunk(text: string): void;
  /** Queues another event, written after the text queued before it. Throws the first failed write. */
  event(event: JobEvent): void;
  /** Writes everything queued and waits for it; rethrows the first failed write. */
  flush(): Promise<void>;
}

/**
 * Turns a provider's stream into job events without one database write per token. The first chunk
 * is written at once (time to first token is what a user feels); later chunks gather while a write
 * is in flight or the interval has not passed. Writes never overlap, so events keep their order.
 */
export function createJobEventWriter(options: JobEventWriterOptions): JobEventWriter {
  const intervalMs = options.intervalMs ?? 40;
  const maxChars = options.maxChars ?? 8192;
  let text = "";
  let queued: JobEvent[] = [];
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let failure: unknown;
  let failed = false;

  const take = (): JobEvent[] => {
    const events = queued;
    queued = [];
    if (text !== "") events.push({ type: "provider-chunk", callId: options.callId, text });
    text = "";
    return events;
  };
  /** Moves pending text into the queue, so an event queued after it is written after it. */
  const sealText = () => {
    if (text === "") return;
    queued.push({ type: "provider-chunk", callId: options.callId, text });
    text = "";
  };

  const startWrite = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (failed) return;
    const events = take();
    if (events.length === 0) return;
    lastWriteAt = performance.now();
    writing = options
      .write(events)
      .catch((error: unknown) => {
        if (!failed) [failed, failure] = [true, error];
      })
      .finally(() => {
        writing = undefined;
        schedule();
      });
  };

  const schedule = (): void => {
    if (failed || writing !== undefined || timer !== undefined || (text === "" && queued.length === 0)) return;
    const wait = lastWriteAt + intervalMs - performance.now();
    if (wait <= 0 || text.length >= maxChars || queued.length > 0) startWrite();
    else timer = setTimeout(startWrite, wait);
  };

  const throwIfFailed = () => {
    if (failed) throw failure;
  };

  return {
    chunk(chunk) {
      throwIfFailed();
      if (chunk === "") return;
      text += chunk;
      schedule();
    },
    event(event) {
      throwIfFailed();
      sealText();
      queued.push(event);
      schedule();
    },
    async flush() {
      for (;;) {
        // A finished write may start the next one; wait until none is running.
        if (writing !== undefined) {
          await writing;
          continue;
        }
        throwIfFailed();
        if (text === "" && queued.length === 0) return;
        startWrite();
      }
    },
  };
}
