/**
 * Token counts by content, as one flat sorted table any thread can search without building
 * anything: fixed 40-byte records — the sha256 of the counted bytes (32), the count (uint32 LE),
 * the day it was last used (uint32 LE, days since 1970) — sorted by digest. The table lives in a
 * SharedArrayBuffer, so the analysis worker threads search the very bytes the main thread loaded.
 */
export interface TokenCountTable {
  /** `count` records back to back. */
  records: Uint8Array;
  count: number;
}

export const RECORD_BYTES = 40;
const DIGEST_BYTES = 32;

export const emptyTokenCountTable = (): TokenCountTable => ({ records: new Uint8Array(0), count: 0 });

/** The count stored for this sha256 digest (32 bytes), or undefined. */
export function findTokenCount(table: TokenCountTable, digest: Uint8Array): number | undefined {
  const index = findRecord(table, digest);
  return index === -1 ? undefined : readUint32(table.records, index * RECORD_BYTES + DIGEST_BYTES);
}

/** The index of the record for this digest, or -1 (binary search). */
export function findRecord(table: TokenCountTable, digest: Uint8Array): number {
  let low = 0;
  let high = table.count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareDigest(table.records, middle * RECORD_BYTES, digest);
    if (order === 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Record `index`: its digest (hex), count and last-used day. */
export function readRecord(table: TokenCountTable, index: number): { sha256: string; tokens: number; day: number } {
  const at = index * RECORD_BYTES;
  const { records } = table;
  return {
    sha256: Buffer.from(records.buffer, records.byteOffset + at, DIGEST_BYTES).toString("hex"),
    tokens: readUint32(records, at + DIGEST_BYTES),
    day: readUint32(records, at + DIGEST_BYTES + 4),
  };
}

/** The day record `index` was last used. */
export const recordDay = (table: TokenCountTable, index: number): number => readUint32(table.records, index * RECORD_BYTES + DIGEST_BYTES + 4);

/** A table of these entries (sha256 hex → count, day), sorted; duplicates keep the first. */
export function buildTokenCountTable(entries: readonly { sha256: string; tokens: number; day: number }[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
  const out = Buffer.alloc(sorted.length * RECORD_BYTES);
  let count = 0;
  let previous = "";
  for (const entry of sorted) {
    if (entry.sha256 === previous) continue;
    previous = entry.sha256;
    const at = count * RECORD_BYTES;
    out.write(entry.sha256, at, DIGEST_BYTES, "hex");
    out.writeUInt32LE(entry.tokens, at + DIGEST_BYTES);
    out.writeUInt32LE(entry.day, at + DIGEST_BYTES + 4);
    count += 1;
  }
  return out.subarray(0, count * RECORD_BYTES);
}

/**
 * `newer` and `older` merged by digest (a digest in both keeps `newer`'s record). Past `maxRecords`,
 * the records last used longest ago go first: whole days at a time, so the result is the same
 * whatever the order of the inputs.
 */
export function mergeTokenCountTables(newer: TokenCountTable, older: TokenCountTable, maxRecords: number): Buffer {
  const merged = Buffer.alloc((newer.count + older.count) * RECORD_BYTES);
  let count = 0;
  let a = 0;
  let b = 0;
  const take = (table: TokenCountTable, index: number) => {
    merged.set(table.records.subarray(index * RECORD_BYTES, (index + 1) * RECORD_BYTES), count * RECORD_BYTES);
    count += 1;
  };
  while (a < newer.count || b < older.count) {
    const order = a === newer.count ? 1 : b === older.count ? -1 : compareDigest(newer.records, a * RECORD_BYTES, older.records.subarray(b * RECORD_BYTES));
    if (order <= 0) take(newer, a++);
    else take(older, b++);
    if (order === 0) b += 1;
  }
  if (count <= maxRecords) return merged.subarray(0, count * RECORD_BYTES);
  const days = Array.from({ length: count }, (_, index) => recordDay({ records: merged, count }, index)).sort((x, y) => y - x);
  // The oldest day still kept: every record of a day younger than it fits, those of that day may not.
  let cutoff = (days[maxRecords - 1] as number) + 1;
  if (days.filter((day) => day >= cutoff - 1).length <= maxRecords) cutoff -= 1;
  const kept = Buffer.alloc(count * RECORD_BYTES);
  let keptCount = 0;
  for (let index = 0; index < count; index++) {
    if (readUint32(merged, index * RECORD_BYTES + DIGEST_BYTES + 4) < cutoff) continue;
    kept.set(merged.subarray(index * RECORD_BYTES, (index + 1) * RECORD_BYTES), keptCount * RECORD_BYTES);
    keptCount += 1;
  }
  return kept.subarray(0, keptCount * RECORD_BYTES);
}

/** Whether the records are strictly increasing by digest (a table read from disk must be). */
export function isSortedTable(table: TokenCountTable): boolean {
  const { records } = table;
  for (let i = 1; i < table.count; i++) {
    if (compareDigest(records, i * RECORD_BYTES, records.subarray((i - 1) * RECORD_BYTES, (i - 1) * RECORD_BYTES + DIGEST_BYTES)) <= 0) return false;
  }
  return true;
}

function compareDigest(records: Uint8Array, at: number, digest: Uint8Array): number {
  for (let k = 0; k < DIGEST_BYTES; k++) {
    const difference = (records[at + k] as number) - (digest[k] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

const readUint32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16) | ((bytes[at + 3] as number) << 24)) >>> 0;
