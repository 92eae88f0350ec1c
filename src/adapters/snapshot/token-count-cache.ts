import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  RECORD_BYTES,
  type TokenCountTable,
  buildTokenCountTable,
  emptyTokenCountTable,
  findRecord,
  isSortedTable,
  mergeTokenCountTables,
  recordDay,
} from "./token-count-table";

/**
 * A content-addressed cache of token counts (sha256 of the counted bytes + tokenizer → count), so
 * a repeated snapshot of the same tree — evolve's repair rounds, serve jobs, re-runs — counts only
 * the files that changed. It is a cache: a missing, foreign or damaged file reads as empty, and a
 * failed write loses nothing but speed.
 */
export interface TokenCountCache {
  /** The counts known for this cache's tokenizer, in shared memory (analysis threads search it). */
  load(): TokenCountTable;
  /** Remembers these counts (marked used today); rewrites the file only when something is new. */
  save(counts: readonly { sha256: string; tokens: number }[]): Promise<void>;
}

export interface TokenCountCacheOptions {
  /** The cache file, e.g. `$GROMPT_HOME/token-counts.bin`. */
  path: string;
  /** Identifies the tokenizer (and counting rules): a file written for another one is ignored. */
  tokenizer: string;
  /** Most records kept (40 bytes each); the least recently used days go first. Default 500,000. */
  maxRecords?: number;
  /** Days since 1970, for "last used"; default today (UTC). */
  today?: () => number;
}

const MAGIC = "GROMPT-TOKEN-COUNTS\n";
const VERSION = 1;
/** magic (20), version (4), records (4), sha256 of the records (32), tokenizer id (64, NUL-padded). */
const HEADER_BYTES = 124;
const TOKENIZER_BYTES = 64;
const DEFAULT_MAX_RECORDS = 500_000;

export function createTokenCountCache(options: TokenCountCacheOptions): TokenCountCache {
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  const today = options.today ?? (() => Math.floor(Date.now() / 86_400_000));
  const tokenizer = Buffer.alloc(TOKENIZER_BYTES);
  tokenizer.write(options.tokenizer, "utf8");
  const load = () => readTable(options.path, tokenizer);
  return {
    load,
    async save(counts) {
      const day = today();
      // Merged with the file as it is now (another process may have written it since it was loaded).
      const current = load();
      const fresh = counts.some(({ sha256 }) => {
        const index = findRecord(current, Buffer.from(sha256, "hex"));
        return index === -1 || recordDay(current, index) !== day;
      });
      if (!fresh) return;
      const learned = buildTokenCountTable(counts.map(({ sha256, tokens }) => ({ sha256, tokens, day })));
      const records = mergeTokenCountTables({ records: learned, count: learned.length / RECORD_BYTES }, current, maxRecords);
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(MAGIC, 0, "latin1");
      header.writeUInt32LE(VERSION, 20);
      header.writeUInt32LE(records.length / RECORD_BYTES, 24);
      createHash("sha256").update(records).digest().copy(header, 28);
      tokenizer.copy(header, 60);
      const temp = `${options.path}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await mkdir(dirname(options.path), { recursive: true });
        await writeFile(temp, Buffer.concat([header, records]));
        await rename(temp, options.path);
      } catch {
        await rm(temp, { force: true });
      }
    },
  };
}

/** The file's records in a SharedArrayBuffer, or an empty table when it is missing or not ours. */
function readTable(path: string, tokenizer: Buffer): TokenCountTable {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return emptyTokenCountTable();
  }
  try {
    const size = fstatSync(fd).size;
    if (size < HEADER_BYTES || (size - HEADER_BYTES) % RECORD_BYTES !== 0) return emptyTokenCountTable();
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return emptyTokenCountTable();
    const count = header.readUInt32LE(24);
    const valid =
      header.toString("latin1", 0, 20) === MAGIC &&
      header.readUInt32LE(20) === VERSION &&
      count * RECORD_BYTES === size - HEADER_BYTES &&
      header.subarray(60, 60 + TOKENIZER_BYTES).equals(tokenizer);
    if (!valid) return emptyTokenCountTable();
    const records = new Uint8Array(new SharedArrayBuffer(count * RECORD_BYTES));
    for (let read = 0; read < records.length; ) {
      const got = readSync(fd, records, read, records.length - read, HEADER_BYTES + read);
      if (got === 0) return emptyTokenCountTable();
      read += got;
    }
    const table = { records, count };
    const checksum = createHash("sha256").update(records).digest();
    return checksum.equals(header.subarray(28, 60)) && isSortedTable(table) ? table : emptyTokenCountTable();
  } catch {
    return emptyTokenCountTable();
  } finally {
    closeSync(fd);
  }
}
