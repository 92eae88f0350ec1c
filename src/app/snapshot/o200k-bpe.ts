import { isUtf8 } from "node:buffer";

/** Token ranks keyed by the token's bytes as a latin1 string (one char per byte). */
export interface RankMap {
  ranks: Map<string, number>;
  /** Rank of every two-byte token, indexed by `first << 8 | second`; NONE when absent. */
  pairs: Int32Array;
  /** Rank of every three-byte ASCII token, indexed by `a << 14 | b << 7 | c`; NONE when absent. */
  triples: Int32Array;
}

const NONE = 0x7fffffff;

/**
 * Builds the rank lookup from gpt-tokenizer's o200k_base table (index = rank; a string, or a byte
 * array when the bytes are not valid UTF-8) the way gpt-tokenizer resolves ranks: a byte array
 * that happens to be valid UTF-8 is looked up as a string there and never found, so it is left out.
 */
export function buildRankMap(table: readonly (string | number[])[]): RankMap {
  const ranks = new Map<string, number>();
  table.forEach((token, rank) => {
    if (typeof token === "string") {
      ranks.set(isAscii(token) ? token : Buffer.from(token, "utf8").toString("latin1"), rank);
      return;
    }
    const bytes = Buffer.from(token);
    if (!isUtf8(bytes)) ranks.set(bytes.toString("latin1"), rank);
  });
  const pairs = new Int32Array(65536).fill(NONE);
  const triples = new Int32Array(1 << 21).fill(NONE);
  for (const [key, rank] of ranks) {
    if (key.length === 2) pairs[(key.charCodeAt(0) << 8) | key.charCodeAt(1)] = rank;
    else if (key.length === 3 && isAscii(key)) triples[(key.charCodeAt(0) << 14) | (key.charCodeAt(1) << 7) | key.charCodeAt(2)] = rank;
  }
  return { ranks, pairs, triples };
}

const nonAscii = /[\u0080-\uffff]/;
const isAscii = (text: string): boolean => !nonAscii.test(text);

// Scratch arrays reused across calls (pieces longer than this are rare; they get fresh arrays).
let starts = new Int32Array(256);
let pairRanks = new Int32Array(256);

/**
 * How many tokens byte-pair encoding makes of one piece (its bytes as a latin1 string): the whole
 * piece when it is a token, else the classic merge loop — always merge the adjacent pair with the
 * lowest rank (the leftmost on ties) until no pair is a token. The same steps as gpt-tokenizer's
 * `bytePairMerge`, on typed arrays and without its per-pair UTF-8 decoding.
 */
export function bpeCount(piece: string, table: RankMap): number {
  const length = piece.length;
  if (length <= 1) return length;
  if (table.ranks.has(piece)) return 1;
  if (starts.length < length + 1) {
    starts = new Int32Array(length + 1);
    pairRanks = new Int32Array(length + 1);
  }
  // parts[i] covers piece[starts[i], starts[i + 1]); pairRanks[i] is the rank of parts i and i + 1 merged.
  let parts = length;
  for (let i = 0; i <= length; i++) starts[i] = i;
  for (let i = 0; i < length - 1; i++) pairRanks[i] = table.pairs[(piece.charCodeAt(i) << 8) | piece.charCodeAt(i + 1)] as number;
  pairRanks[length - 1] = NONE;
  while (parts > 1) {
    let lowest = NONE;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      const rank = pairRanks[i] as number;
      if (rank < lowest) {
        lowest = rank;
        at = i;
      }
    }
    if (at === -1) break;
    // Merge parts `at` and `at + 1`: drop the boundary between them.
    starts.copyWithin(at + 1, at + 2, parts + 1);
    pairRanks.copyWithin(at + 1, at + 2, parts);
    parts -= 1;
    pairRanks[at] = rankOf(piece, at, parts, table);
    if (at > 0) pairRanks[at - 1] = rankOf(piece, at - 1, parts, table);
  }
  return parts;
}

/** Rank of parts `i` and `i + 1` merged, or NONE. */
function rankOf(piece: string, i: number, parts: number, table: RankMap): number {
  if (i + 2 > parts) return NONE;
  const from = starts[i] as number;
  const to = starts[i + 2] as number;
  if (to - from === 3) {
    const a = piece.charCodeAt(from);
    const b = piece.charCodeAt(from + 1);
    const c = piece.charCodeAt(from + 2);
    if ((a | b | c) < 128) return table.triples[(a << 14) | (b << 7) | c] as number;
  }
  return table.ranks.get(piece.slice(from, to)) ?? NONE;
}
