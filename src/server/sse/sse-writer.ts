import type { ServerResponse } from "node:http";

export interface SseWriter {
  /** Writes one event; waits for the socket to drain when the kernel and Node buffers are full. */
  event(fields: { id?: number; event: string; data: string }): Promise<void>;
  /** A comment line (heartbeat); skipped while a write is waiting, which already shows the stream lives. */
  comment(text: string): void;
  /** Raw frame (the `retry:` hint). */
  raw(frame: string): Promise<void>;
  /** True once the client went away or the stream was ended. */
  readonly closed: boolean;
  end(): void;
}

/**
 * Writes SSE frames to a response, honouring backpressure: when `write` returns false nothing more
 * is written — and nothing more is read from the store — until `drain`, so a slow reader costs one
 * buffered event, not the whole log. Each wait is counted.
 */
export function createSseWriter(res: ServerResponse, onBackpressure: () => void): SseWriter {
  let closed = false;
  let waiting = false;
  res.once("close", () => (closed = true));

  const write = async (frame: string): Promise<void> => {
    if (closed || res.writableEnded) return;
    if (res.write(frame)) return;
    onBackpressure();
    waiting = true;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off("drain", done);
        res.off("close", done);
        resolve();
      };
      res.on("drain", done);
      res.on("close", done);
    });
    waiting = false;
  };

  return {
    event: ({ id, event, data }) => write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`),
    comment(text) {
      if (!waiting && !closed && !res.writableEnded) res.write(`: ${text}\n\n`);
    },
    raw: (frame) => write(frame),
    get closed() {
      return closed || res.writableEnded;
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}
