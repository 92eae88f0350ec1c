import { createRequire } from "node:module";
import type * as O200kRanks from "gpt-tokenizer/bpeRanks/o200k_base";
import type * as EncodingConstants from "gpt-tokenizer/encodingParams/constants";
import { lazyRequire } from "../lazy-require";
import { bpeCount } from "./o200k-bpe";
import { type RankTable, buildRankTable } from "./o200k-rank-table";
import { NEEDS_REGEX, pieceEnd } from "./o200k-pieces";

/**
 * Exact OpenAI o200k_base token counts, fast. A token count is the sum, over the pieces the split
 * regex cuts, of each piece's byte-pair-encoded length. gpt-tokenizer does both steps slowly for
 * bulk counting (its Unicode regex runs at ~35 MB/s; its merge decodes UTF-8 for every pair), so
 * grompt cuts ASCII pieces with a byte-class scanner, asks the regex only where a non-ASCII
 * character is involved, merges with gpt-tokenizer's own rank table, and remembers each distinct
 * piece's count. Tests hold the result equal to gpt-tokenizer's `countTokens`.
 */
export type TokenCounter = (text: string) => number;

let loadedRanks: Promise<RankTable> | undefined;
let loaded: Promise<TokenCounter> | undefined;

/**
 * gpt-tokenizer's o200k_base ranks as a table, built once per thread (about 300 ms of CPU: its
 * 200k-entry module is compiled, then indexed). The table lives in shared memory, so other threads
 * can count with it (`createO200kCounter`) without paying for it again.
 */
export function loadO200kRanks(): Promise<RankTable> {
  // The CommonJS build, as the guards' counter loads it (guards/count-tokens.ts): one list per process.
  loadedRanks ??= Promise.resolve().then(() => buildRankTable((require(RANKS_MODULE) as typeof O200kRanks).default));
  return loadedRanks;
}

// A plain require, not lazyRequire: nothing here may keep the list alive once forgetRankSource ran.
const require = createRequire(import.meta.url);
const RANKS_MODULE = "gpt-tokenizer/bpeRanks/o200k_base";
const encodingConstants = lazyRequire<typeof EncodingConstants>("gpt-tokenizer/encodingParams/constants");

/**
 * Drops gpt-tokenizer's rank list from this thread's module cache once the table is built, so the
 * collector can free it (~40 MB of strings). For worker threads, which never need it again.
 */
export function forgetRankSource(): void {
  delete require.cache[require.resolve(RANKS_MODULE)];
}

/**
 * Names what the counts are counts of, for caches of them (the token count cache): o200k_base as
 * gpt-tokenizer of this version counts it, which the counter here equals.
 */
export const o200kCounterId = (): string => `o200k_base (gpt-tokenizer ${(require("gpt-tokenizer/package.json") as { version: string }).version})`;

/** Loads the ranks once and returns the counter. */
export function loadO200kCounter(): Promise<TokenCounter> {
  loaded ??= loadO200kRanks().then(createO200kCounter);
  return loaded;
}

/** A counter over a rank table built elsewhere (another thread's, shared). Each counter has its own memo. */
export async function createO200kCounter(ranks: RankTable): Promise<TokenCounter> {
  const { O200K_TOKEN_SPLIT_REGEX } = encodingConstants();
  return createCounter(ranks, new RegExp(O200K_TOKEN_SPLIT_REGEX.source, "uy"));
}

function createCounter(ranks: RankTable, splitAt: RegExp): TokenCounter {
  const longMemo = createPieceMemo((start, end, text) => bpeCount(text.slice(start, end), ranks));
  const shortMemo = createShortPieceMemo((start, end, text) => bpeCount(text.slice(start, end), ranks));
  // Two- and three-character ASCII pieces (about half of all pieces in source code) get direct
  // tables indexed by their characters: no hashing at all. 0 means "not counted yet".
  const twos = new Int8Array(1 << 14);
  const threes = new Int8Array(1 << 21);
  const asciiMemo = (text: string, start: number, end: number): number => {
    const length = end - start;
    if (length === 2) {
      const index = (text.charCodeAt(start) << 7) | text.charCodeAt(start + 1);
      return twos[index] || (twos[index] = bpeCount(text.slice(start, end), ranks));
    }
    if (length === 3) {
      const index = (text.charCodeAt(start) << 14) | (text.charCodeAt(start + 1) << 7) | text.charCodeAt(start + 2);
      return threes[index] || (threes[index] = bpeCount(text.slice(start, end), ranks));
    }
    return length <= SHORT_PIECE ? shortMemo(text, start, end) : longMemo(text, start, end);
  };
  // Pieces with a non-ASCII character, by the piece itself: its UTF-8 bytes are built on a miss only.
  const otherMemo = new Map<string, number>();
  const MAX_OTHER = 200_000;
  return (text) => {
    const n = text.length;
    let total = 0;
    let i = 0;
    while (i < n) {
      let end = pieceEnd(text, i, n);
      if (end !== NEEDS_REGEX) {
        // Any single ASCII byte is a token of its own.
        total += end - i === 1 ? 1 : asciiMemo(text, i, end);
      } else {
        splitAt.lastIndex = i;
        const piece = (splitAt.exec(text) as RegExpExecArray)[0];
        end = i + piece.length;
        let count = otherMemo.get(piece);
        if (count === undefined) {
          count = bpeCount(Buffer.from(piece, "utf8").toString("latin1"), ranks);
          if (otherMemo.size < MAX_OTHER) otherMemo.set(piece, count);
        }
        total += count;
      }
      i = end;
    }
    return total;
  };
}

/** Longest ASCII piece the short memo keys by its characters packed into two ints. */
const SHORT_PIECE = 8;

/**
 * Counts of ASCII pieces of four to eight characters (most of the longer pieces), keyed by the
 * characters themselves, seven bits each: the first four in one int, the rest after a length mark
 * in another. The key is the piece, so a probe compares two ints — no hash over an arena, no string.
 */
function createShortPieceMemo(count: PieceCount): (text: string, start: number, end: number) => number {
  const BITS = 19;
  const MASK = (1 << BITS) - 1;
  const MAX_USED = (1 << BITS) * 0.5;
  // Three ints per slot: the two key halves and the count (0: empty; a piece is at least one token).
  const slots = new Int32Array((1 << BITS) * 3);
  let used = 0;
  return (text, start, end) => {
    const low = text.charCodeAt(start) | (text.charCodeAt(start + 1) << 7) | (text.charCodeAt(start + 2) << 14) | (text.charCodeAt(start + 3) << 21);
    // The length mark keeps "ab" + "c" apart from "a" + "bc": each length has its own range.
    let high = end - start;
    for (let k = start + 4; k < end; k++) high = (high << 7) | text.charCodeAt(k);
    let slot = (Math.imul(low, 0x9e3779b1) ^ Math.imul(high, 0x85ebca77)) >>> (32 - BITS);
    for (;;) {
      const at = slot * 3;
      const known = slots[at + 2] as number;
      if (known === 0) break;
      if (slots[at] === low && slots[at + 1] === high) return known;
      slot = (slot + 1) & MASK;
    }
    const value = count(start, end, text);
    if (used < MAX_USED) {
      slots[slot * 3] = low;
      slots[slot * 3 + 1] = high;
      slots[slot * 3 + 2] = value;
      used += 1;
    }
    return value;
  };
}

type PieceCount = (start: number, end: number, text: string) => number;

/**
 * Counts of ASCII pieces by content, without allocating a string per lookup: an open-addressing
 * table keyed by an FNV-1a hash of the piece's characters, with the bytes kept in an arena to
 * confirm a hit. Full tables stop remembering (counting stays exact, only slower).
 */
function createPieceMemo(count: PieceCount): (text: string, start: number, end: number) => number {
  const SLOTS = 1 << 19;
  const MASK = SLOTS - 1;
  const MAX_USED = SLOTS * 0.6;
  const hashes = new Int32Array(SLOTS);
  const lengths = new Int32Array(SLOTS);
  const offsets = new Int32Array(SLOTS);
  const counts = new Int32Array(SLOTS);
  let arena = new Uint8Array(1 << 20);
  let arenaUsed = 0;
  let used = 0;
  return (text, start, end) => {
    const length = end - start;
    let hash = 0x811c9dc5 | 0;
    for (let k = start; k < end; k++) hash = Math.imul(hash ^ text.charCodeAt(k), 0x01000193);
    let slot = hash & MASK;
    for (let slotLength = lengths[slot] as number; slotLength !== 0; slotLength = lengths[slot] as number) {
      if (slotLength === length && hashes[slot] === hash) {
        const offset = offsets[slot] as number;
        let k = 0;
        while (k < length && arena[offset + k] === text.charCodeAt(start + k)) k++;
        if (k === length) return counts[slot] as number;
      }
      slot = (slot + 1) & MASK;
    }
    const value = count(start, end, text);
    if (used < MAX_USED) {
      if (arenaUsed + length > arena.length) {
        const bigger = new Uint8Array(Math.max(arena.length * 2, arenaUsed + length));
        bigger.set(arena);
        arena = bigger;
      }
      for (let k = 0; k < length; k++) arena[arenaUsed + k] = text.charCodeAt(start + k);
      hashes[slot] = hash;
      lengths[slot] = length;
      offsets[slot] = arenaUsed;
      counts[slot] = value;
      arenaUsed += length;
      used += 1;
    }
    return value;
  };
}
