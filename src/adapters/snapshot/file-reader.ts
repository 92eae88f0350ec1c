import { close, closeSync, constants, open, openSync, readFile, readFileSync } from "node:fs";

// O_NOFOLLOW: a file swapped for a link after listing is refused, not followed; O_NONBLOCK: one
// swapped for a FIFO does not hang the open.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/**
 * A read slower than this came from a disk or a network rather than the page cache (where a read
 * takes a few µs). One slow read proves little: a garbage-collection pause or the thread being
 * descheduled on a busy machine lands on some read; only a majority of slow reads in a window
 * means the files themselves are slow.
 */
const SLOW_READ_MS = 0.5;
const WINDOW = 64;
/** Files read ahead at once once reads are slow. */
const READ_AHEAD = 16;

export interface FileReader {
  /** The bytes of files[index]; call with increasing indexes. */
  read(index: number): Buffer | Promise<Buffer>;
}

/** Absolute paths in processing order; undefined for entries that are not read (links). */
export type ReadList = readonly (string | undefined)[];

/**
 * Reads files in order, adapting to where they come from. From the page cache — the usual case for
 * a working tree — a synchronous read costs a few µs against tens of µs of main-thread time for
 * each asynchronous call, so reads start synchronous. As soon as most reads turn slow (a cold disk, a
 * network file system), the reader switches to asynchronous reads with a bounded read-ahead of 16
 * files, so the device works on several at once.
 */
export function createFileReader(files: ReadList, options: { slowReadMs?: number; window?: number } = {}): FileReader {
  const slowReadMs = options.slowReadMs ?? SLOW_READ_MS;
  const window = options.window ?? WINDOW;
  let readAhead = false;
  let windowReads = 0;
  let slowReads = 0;
  const pending = new Map<number, Promise<Buffer>>();
  let next = 0;

  const prefetch = (upTo: number) => {
    for (; next < Math.min(upTo, files.length); next += 1) {
      const path = files[next];
      if (path === undefined || pending.has(next)) continue;
      const started = readAsync(path);
      started.catch(() => undefined); // handled when awaited; never an unhandled rejection
      pending.set(next, started);
    }
  };

  return {
    read(index) {
      if (readAhead) {
        prefetch(index + READ_AHEAD);
        const started = pending.get(index) ?? readAsync(files[index] as string);
        pending.delete(index);
        return started;
      }
      const began = performance.now();
      const bytes = readSync(files[index] as string);
      if (performance.now() - began > slowReadMs) slowReads += 1;
      windowReads += 1;
      if (slowReads * 2 > window) {
        readAhead = true;
        next = index + 1;
      } else if (windowReads === window) {
        windowReads = 0;
        slowReads = 0;
      }
      return bytes;
    },
  };
}

function readSync(path: string): Buffer {
  const fd = openSync(path, READ_FLAGS);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readAsync(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    open(path, READ_FLAGS, (openError, fd) => {
      if (openError !== null) return reject(openError);
      readFile(fd, (readError, data) => close(fd, () => (readError !== null ? reject(readError) : resolve(data))));
    });
  });
}
