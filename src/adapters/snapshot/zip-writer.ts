import { pipeline } from "node:stream/promises";
import type { EntryData } from "archiver";
import { SyncFileSink } from "./sync-file-sink";

/**
 * Entries are stored, not deflated: deflate output differs between zlib builds (Node versions,
 * CPU-specific hashing), and the zip must be byte-identical on every machine. The timestamp is the
 * zip epoch and modes are normalised, so only paths and bytes decide the archive's bytes.
 */
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));
/** Bytes queued in archiver before the producer waits for it to catch up. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export interface ZipWriter {
  addFile(path: string, content: Buffer, executable: boolean): Promise<void>;
  addLink(path: string, target: string): Promise<void>;
  /** Writes the central directory and waits until the file is on disk. */
  finish(): Promise<void>;
  /** Stops writing after a failure (the caller removes the file). */
  abort(): Promise<void>;
}

/** archiver is loaded on first use: it costs ~100 ms at startup that other commands need not pay. */
export async function createZipWriter(file: string): Promise<ZipWriter> {
  const { ZipArchive } = await import("archiver");
  const archive = new ZipArchive({ store: true });
  // archiver writes each header field separately; the sink batches them into few system calls.
  const out = new SyncFileSink(file);
  const done = pipeline(archive, out);
  let failure: unknown;
  // archiver processes entries in order, so the oldest queued size is the one just written.
  const queuedSizes: number[] = [];
  let queued = 0;
  const waiters: (() => void)[] = [];
  archive.on("entry", () => {
    queued -= queuedSizes.shift() ?? 0;
    while (queued <= MAX_QUEUED_BYTES && waiters.length > 0) waiters.shift()?.();
  });
  const fail = (error: unknown) => {
    failure ??= error;
    for (const wake of waiters.splice(0)) wake();
  };
  archive.on("error", fail);
  done.catch(fail);

  const append = async (source: Buffer, data: EntryData) => {
    if (failure !== undefined) throw failure;
    queued += source.length;
    queuedSizes.push(source.length);
    archive.append(source, data);
    if (queued > MAX_QUEUED_BYTES) {
      await new Promise<void>((resolve) => waiters.push(resolve));
      if (failure !== undefined) throw failure;
    }
  };

  return {
    addFile: (path, content, executable) =>
      append(content, { name: path, date: FIXED_DATE, mode: executable ? 0o755 : 0o644, type: "file" }),
    addLink: (path, target) =>
      append(Buffer.alloc(0), { name: path, date: FIXED_DATE, mode: 0o777, type: "symlink", linkname: target }),
    async finish() {
      if (failure !== undefined) throw failure;
      await archive.finalize();
      await done;
    },
    async abort() {
      // archiver's abort leaves the pipe open once entries were queued; destroying both ends settles it.
      archive.abort();
      archive.destroy();
      out.destroy();
      await done.catch(() => undefined);
    },
  };
}
