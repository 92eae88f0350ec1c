import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { GromptError } from "../../../core/domain/errors";
import type { BlobPort, BlobRef } from "../../../core/ports/blob-port";

const SHA256 = /^[0-9a-f]{64}$/;

export interface FilesystemBlobStoreOptions {
  /** `$GROMPT_HOME/artifacts`. */
  root: string;
}

/**
 * Content-addressed blobs on disk: `<root>/<sha256[0:2]>/<sha256>`. Every write goes to a temporary
 * file in `<root>/tmp`, is flushed to disk, then renamed into place, so a blob is either whole or
 * absent — a crash never leaves a truncated one under its hash.
 */
export function createFilesystemBlobStore(options: FilesystemBlobStoreOptions): BlobPort {
  const { root } = options;
  const tmpDir = join(root, "tmp");
  const pathOf = (sha256: string) => join(root, checked(sha256).slice(0, 2), sha256);
  const refOf = (sha256: string, bytes: number): BlobRef => ({ sha256, bytes, url: pathToFileURL(pathOf(sha256)).href });
  const tempFile = async () => {
    await mkdir(tmpDir, { recursive: true });
    return join(tmpDir, `${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  };
  const sizeOf = async (sha256: string) => (await stat(pathOf(sha256)).catch(() => undefined))?.size;

  /** Moves a finished temporary file under its hash (or drops it when the blob already exists). */
  const settle = async (temp: string, sha256: string, bytes: number): Promise<BlobRef> => {
    if ((await sizeOf(sha256)) === bytes) {
      await rm(temp, { force: true });
      return refOf(sha256, bytes);
    }
    await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
    await rename(temp, pathOf(sha256));
    return refOf(sha256, bytes);
  };

  return {
    async put(data) {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      if ((await sizeOf(sha256)) === bytes.length) return refOf(sha256, bytes.length);
      return guard(`store a blob in ${root}`, async () => {
        const temp = await tempFile();
        try {
          const handle = await open(temp, "w");
          try {
            await handle.writeFile(bytes);
            await handle.sync();
          } finally {
            await handle.close();
          }
          return await settle(temp, sha256, bytes.length);
        } catch (error) {
          await rm(temp, { force: true });
          throw error;
        }
      });
    },

    async putFile(path) {
      const source = await stat(path).catch(() => undefined);
      if (source?.isFile() !== true) throw new GromptError("not_found", `${path} is not a readable file`);
      return guard(`store ${path} in ${root}`, async () => {
        const temp = await tempFile();
        const hash = createHash("sha256");
        let bytes = 0;
        const tee = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            bytes += chunk.length;
            callback(null, chunk);
          },
        });
        try {
          const out = createWriteStream(temp, { flush: true });
          await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), tee, out);
          return await settle(temp, hash.digest("hex"), bytes);
        } catch (error) {
          await rm(temp, { force: true });
          throw error;
        }
      });
    },

    async get(sha256) {
      const file = pathOf(sha256);
      try {
        return await readFile(file);
      } catch (error) {
        throw missingOr(error, sha256);
      }
    },

    async *open(sha256) {
      const file = pathOf(sha256);
      if ((await sizeOf(sha256)) === undefined) throw missingOr(Object.assign(new Error("missing"), { code: "ENOENT" }), sha256);
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
    },

    async has(sha256) {
      return (await sizeOf(sha256)) !== undefined;
    },

    localPath(sha256) {
      return pathOf(sha256);
    },
  };
}

function checked(sha256: string): string {
  if (!SHA256.test(sha256)) {
    throw new GromptError("invalid_input", `${JSON.stringify(sha256)} is not a sha256 (64 lower-case hex digits)`);
  }
  return sha256;
}

function missingOr(error: unknown, sha256: string): GromptError {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    return new GromptError("not_found", `No blob ${sha256} in the artifact store`, { hint: "List a job's artifacts with `grompt jobs show <id>`." });
  }
  return new GromptError("io_error", `Cannot read blob ${sha256}: ${(error as Error).message}`, { cause: error });
}

async function guard<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GromptError) throw error;
    throw new GromptError("io_error", `Cannot ${what}: ${(error as Error).message}`, {
      hint: "Check free space and permissions of $GROMPT_HOME/artifacts.",
      cause: error,
    });
  }
}
