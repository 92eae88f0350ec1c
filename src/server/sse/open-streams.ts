/** A live SSE stream the server can end on shutdown with a last event. */
export interface OpenStream {
  close(reason: string): Promise<void>;
}

/** Every SSE stream open now, so a graceful shutdown ends each one with a final event first. */
export function createOpenStreams() {
  const streams = new Set<OpenStream>();
  return {
    add(stream: OpenStream): () => void {
      streams.add(stream);
      return () => streams.delete(stream);
    },
    async closeAll(reason: string): Promise<void> {
      await Promise.all([...streams].map((stream) => stream.close(reason)));
    },
    size: () => streams.size,
  };
}

export type OpenStreams = ReturnType<typeof createOpenStreams>;
