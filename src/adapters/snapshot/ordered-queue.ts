import type { StageClock } from "./stage-clock";

/**
 * Work that finishes out of order (files analysed on several worker threads) handled strictly in
 * the order it was pushed, so every output comes out the same whatever the timing. The bytes held
 * (pushed, not yet handled) are capped: past the cap, push waits for the oldest work and handles
 * it, which bounds memory however far the producer runs ahead.
 */
export interface OrderedQueue<T> {
  push(work: T | Promise<T>, bytes: number): Promise<void>;
  /** Handles everything still queued, in order. */
  drain(): Promise<void>;
}

interface Slot<T> {
  work: T | Promise<T>;
  bytes: number;
  settled: boolean;
}

export function createOrderedQueue<T>(
  handle: (value: T) => Promise<void> | void,
  options: { maxBytes: number; clock: StageClock },
): OrderedQueue<T> {
  const slots: Slot<T>[] = [];
  let held = 0;

  const handleOldest = async () => {
    const slot = slots.shift() as Slot<T>;
    let value: T;
    if (slot.work instanceof Promise) {
      const waiting = performance.now();
      value = await slot.work;
      options.clock.lap("wait for workers", waiting);
    } else {
      value = slot.work;
    }
    held -= slot.bytes;
    await handle(value);
  };

  return {
    async push(work, bytes) {
      const slot: Slot<T> = { work, bytes, settled: !(work instanceof Promise) };
      // Also marks a rejection as handled: it is rethrown when the slot's turn comes.
      if (work instanceof Promise) work.then(() => (slot.settled = true), () => (slot.settled = true));
      slots.push(slot);
      held += bytes;
      while (slots[0]?.settled === true) await handleOldest();
      while (held > options.maxBytes && slots.length > 0) await handleOldest();
    },
    async drain() {
      while (slots.length > 0) await handleOldest();
    },
  };
}
