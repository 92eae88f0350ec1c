/** Where a blob lives, addressed by the sha256 of its bytes. */
export interface BlobRef {
  sha256: string;
  bytes: number;
  /** `file:///...` for the filesystem store; other stores use their own scheme. */
  url: string;
}

export interface BlobPort {
  /** Stores bytes (idempotent: the same content is stored once). */
  put(data: Uint8Array | string): Promise<BlobRef>;
  /** Streams a local file into the store without holding it in memory. */
  putFile(path: string): Promise<BlobRef>;
  /** The whole blob; throws `not_found` when absent. */
  get(sha256: string): Promise<Uint8Array>;
  /** The blob as a stream of chunks; throws `not_found` when absent. */
  open(sha256: string): AsyncIterable<Uint8Array>;
  /** True when the blob is stored. */
  has(sha256: string): Promise<boolean>;
  /** A local path for tools that need one (git apply, unzip); undefined for remote stores. */
  localPath(sha256: string): string | undefined;
}
