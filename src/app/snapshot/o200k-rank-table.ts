import { isUtf8 } from "node:buffer";

/**
 * o200k_base token ranks keyed by the token's bytes, in an open-addressing table that a byte range
 * of a piece can be looked up in without building a string (FNV-1a hash, bytes kept in an arena to
 * confirm a hit), plus direct tables for two-byte and three-byte ASCII keys.
 */
export interface RankTable {
  mask: number;
  hashes: Int32Array;
  lengths: Int32Array;
  offsets: Int32Array;
  ranks: Int32Array;
  arena: Uint8Array;
  /** Rank of every two-byte token, indexed by `first << 8 | second`. */
  pairs: Int32Array;
  /** Rank of every three-byte ASCII token, indexed by `a << 14 | b << 7 | c`. */
  triples: Int32Array;
}

export const NONE = 0x7fffffff;

/**
 * Builds the table from gpt-tokenizer's o200k_base list (index = rank; a string, or a byte array
 * when the bytes are not valid UTF-8) the way gpt-tokenizer resolves ranks: a byte array that
 * happens to be valid UTF-8 is looked up as a string there and never found, so it is left out; a
 * later rank for the same bytes wins, as in its map.
 */
export function buildRankTable(list: readonly (string | number[])[]): RankTable {
  // Every token's bytes back to back, written straight into what becomes the arena: no string or
  // Buffer per token (this runs on every snapshot's first worker, while the main thread selects).
  let capacity = 0;
  for (const token of list) capacity += typeof token === "string" ? token.length * 3 : token.length;
  const staging = Buffer.allocUnsafe(capacity);
  const starts = new Int32Array(list.length + 1);
  const skipped = new Uint8Array(list.length);
  let used = 0;
  list.forEach((token, rank) => {
    starts[rank] = used;
    if (typeof token === "string") used += staging.write(token, used, "utf8");
    else if (isUtf8(Uint8Array.from(token))) skipped[rank] = 1;
    else {
      staging.set(token, used);
      used += token.length;
    }
  });
  starts[list.length] = used;
  let size = 1;
  while (size < list.length * 2) size <<= 1;
  // Shared memory: worker threads receive the table itself rather than a copy (or a rebuild).
  const ints = (length: number) => new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
  const table: RankTable = {
    mask: size - 1,
    hashes: ints(size),
    lengths: ints(size),
    offsets: ints(size),
    ranks: ints(size),
    arena: new Uint8Array(new SharedArrayBuffer(used)),
    pairs: ints(65536).fill(NONE),
    triples: ints(1 << 21).fill(NONE),
  };
  table.arena.set(staging.subarray(0, used));
  const { arena, hashes, lengths, offsets, ranks, mask } = table;
  for (let rank = 0; rank < list.length; rank++) {
    if (skipped[rank] === 1) continue;
    const from = starts[rank] as number;
    const length = (starts[rank + 1] as number) - from;
    let hash = 0x811c9dc5 | 0;
    for (let k = 0; k < length; k++) hash = Math.imul(hash ^ (arena[from + k] as number), 0x01000193);
    let slot = hash & mask;
    // The same bytes again (a later rank): it wins, as in gpt-tokenizer's map.
    for (; lengths[slot] !== 0; slot = (slot + 1) & mask) {
      if (lengths[slot] === length && hashes[slot] === hash && sameBytes(arena, offsets[slot] as number, from, length)) break;
    }
    hashes[slot] = hash;
    lengths[slot] = length;
    offsets[slot] = from;
    ranks[slot] = rank;
    const a = arena[from] as number;
    const b = arena[from + 1] as number;
    if (length === 2) table.pairs[(a << 8) | b] = rank;
    if (length === 3) {
      const c = arena[from + 2] as number;
      if ((a | b | c) < 128) table.triples[(a << 14) | (b << 7) | c] = rank;
    }
  }
  return table;
}

function sameBytes(arena: Uint8Array, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (arena[a + k] !== arena[b + k]) return false;
  return true;
}

function hashRange(text: string, from: number, to: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let k = from; k < to; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
  return hash;
}

/** Rank of the bytes `piece[from, to)` (a latin1 string), or NONE. */
export function rankOfRange(piece: string, from: number, to: number, table: RankTable): number {
  const length = to - from;
  if (length === 2) return table.pairs[(piece.charCodeAt(from) << 8) | piece.charCodeAt(from + 1)] as number;
  if (length === 3) {
    const a = piece.charCodeAt(from);
    const b = piece.charCodeAt(from + 1);
    const c = piece.charCodeAt(from + 2);
    if ((a | b | c) < 128) return table.triples[(a << 14) | (b << 7) | c] as number;
  }
  const hash = hashRange(piece, from, to);
  const { hashes, lengths, offsets, arena, mask } = table;
  for (let slot = hash & mask; lengths[slot] !== 0; slot = (slot + 1) & mask) {
    if (lengths[slot] !== length || hashes[slot] !== hash) continue;
    const offset = offsets[slot] as number;
    let k = 0;
    while (k < length && arena[offset + k] === piece.charCodeAt(from + k)) k++;
    if (k === length) return table.ranks[slot] as number;
  }
  return NONE;
}
