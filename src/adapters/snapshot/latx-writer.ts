import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { type LatxHeader, formatHeader, markerLine } from "./latx-format";

const SEPARATOR = Buffer.from("\n");

export interface LatxWriter {
  addFile(path: string, content: Buffer): Promise<void>;
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
  // A deep buffer lets the main thread keep reading while the previous writes reach the disk.
  const body: WriteStream = createWriteStream(bodyFile, { highWaterMark: 4 * 1024 * 1024 });
  let failure: unknown;
  let wake: (() => void) | undefined;
  body.on("drain", () => wake?.());
  body.on("error", (error) => {
    failure ??= error;
    wake?.();
  });

  const write = async (chunk: Buffer) => {
    if (failure !== undefined) throw failure;
    if (!body.write(chunk)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  };

  return {
    async addFile(path, content) {
      await write(markerLine(path));
      if (content.length > 0) await write(content);
      await write(SEPARATOR);
    },
    async finish(header, out) {
      body.end();
      await once(body, "close");
      if (failure !== undefined) throw failure;
      const target = createWriteStream(out);
      target.write(formatHeader(header));
      await pipeline(createReadStream(bodyFile, { highWaterMark: 1 << 20 }), target);
      await rm(bodyFile, { force: true });
    },
    async abort() {
      body.destroy();
      await rm(bodyFile, { force: true });
    },
  };
}
