import { closeSync, openSync, readSync } from "node:fs";
import { rm } from "node:fs/promises";
import { type LatxHeader, formatHeader, markerLine } from "./latx-format";
import { SyncFileSink } from "./sync-file-sink";

const SEPARATOR = Buffer.from("\n");

export interface LatxWriter {
  addFile(path: string, content: Buffer): void;
  /** Writes `out`: the PROJECT_INFO header (known only at the end) followed by the body. */
  finish(header: LatxHeader, out: string): Promise<void>;
  /** Stops writing after a failure and removes the body file. */
  abort(): Promise<void>;
}

/**
 * File blocks stream into a body file as they are produced; the header, which carries totals and
 * the snapshot id, is written in front of it at the end. Nothing holds the tree in memory.
 */
export function createLatxWriter(bodyFile: string): LatxWriter {
  const body = new SyncFileSink(bodyFile);
  return {
    addFile(path, content) {
      body.put(markerLine(path));
      body.put(content);
      body.put(SEPARATOR);
    },
    async finish(header, out) {
      body.closeFile();
      const target = new SyncFileSink(out);
      try {
        target.put(formatHeader(header));
        const fd = openSync(bodyFile, "r");
        try {
          const block = Buffer.allocUnsafe(1 << 20);
          for (let read = readSync(fd, block); read > 0; read = readSync(fd, block)) target.put(block.subarray(0, read));
        } finally {
          closeSync(fd);
        }
      } finally {
        target.closeFile();
      }
      await rm(bodyFile, { force: true });
    },
    async abort() {
      body.closeFile();
      await rm(bodyFile, { force: true });
    },
  };
}
