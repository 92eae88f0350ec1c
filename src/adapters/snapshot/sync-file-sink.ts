import { closeSync, openSync, writeSync } from "node:fs";
import { Writable } from "node:stream";

/**
 * A file sink that writes with synchronous calls, batched: many small chunks (archiver writes each
 * zip header field on its own) become one write per megabyte. For a local file in the page cache
 * this costs far less main-thread time than fs.WriteStream's per-chunk asynchronous requests.
 */
export class SyncFileSink extends Writable {
  private readonly fd: number;
  private readonly block = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private fileClosed = false;

  constructor(path: string) {
    super({ highWaterMark: 1 << 20 });
    this.fd = openSync(path, "w");
  }

  /** Appends bytes (also usable directly, outside the stream interface). */
  put(chunk: Uint8Array): void {
    if (chunk.length >= this.block.length) {
      this.flush();
      writeFully(this.fd, chunk);
      return;
    }
    if (this.used + chunk.length > this.block.length) this.flush();
    this.block.set(chunk, this.used);
    this.used += chunk.length;
  }

  flush(): void {
    if (this.used === 0) return;
    writeFully(this.fd, this.block.subarray(0, this.used));
    this.used = 0;
  }

  /** Flushes and closes the file (idempotent). */
  closeFile(): void {
    if (this.fileClosed) return;
    this.flush();
    this.fileClosed = true;
    closeSync(this.fd);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.guard(() => this.put(chunk), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.guard(() => {
      for (const { chunk } of chunks) this.put(chunk);
    }, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.guard(() => this.closeFile(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.fileClosed) {
      this.fileClosed = true;
      closeSync(this.fd);
    }
    callback(error);
  }

  private guard(work: () => void, callback: (error?: Error | null) => void): void {
    try {
      work();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}
