import { isUtf8 } from "node:buffer";

/** Token ranks keyed by the token's bytes as a latin1 string (one char per byte). */
export type RankMap = Map<string, number>;

/**
 * Builds the rank lookup from gpt-tokenizer's o200k_base table (index = rank; a string, or a byte
 * array when the bytes are not valid UTF-8) the way gpt-tokenizer resolves ranks: a byte array
 * that happens to be valid UTF-8 is looked up as a string there and never found, so it is left out.
 */
export function buildRankMap(table: readonly (string | number[])[]): RankMap {
  const ranks: RankMap = new Map();
  table.forEach((token, rank) => {
    if (typeof token === "string") {
      ranks.set(isAscii(token) ? token : Buffer.from(token, "utf8").toString("latin1"), rank);
      return;
    }
    const bytes = Buffer.from(token);
    if (!isUtf8(bytes)) ranks.set(bytes.toString("latin1"), rank);
  });
  return ranks;
}

const nonAscii = /[\u0080-\uffff]/;
const isAscii = (text: string): boolean => !nonAscii.test(text);

/**
 * How many tokens byte-pair encoding makes of one piece (its bytes as a latin1 string): the whole
 * piece when it is a token, else the classic merge loop — always merge the adjacent pair with the
 * lowest rank (the leftmost on ties) until no pair is a token. Same steps as gpt-tokenizer's
 * `bytePairMerge`, without its per-pair UTF-8 decoding, so many times faster.
 */
export function bpeCount(piece: string, ranks: RankMap): number {
  const length = piece.length;
  if (length <= 1 || ranks.has(piece)) return Math.min(length, 1);
  const starts: number[] = [];
  const pairRanks: number[] = [];
  const rankAt = (k: number): number => {
    const end = starts[k + 2];
    if (end === undefined) return Number.POSITIVE_INFINITY;
    return ranks.get(piece.slice(starts[k] as number, end)) ?? Number.POSITIVE_INFINITY;
  };
  for (let i = 0; i <= length; i++) {
    starts.push(i);
    pairRanks.push(i < length - 1 ? (ranks.get(piece.slice(i, i + 2)) ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY);
  }
  while (starts.length > 1) {
    let lowest = Number.POSITIVE_INFINITY;
    let at = -1;
    for (let i = 0; i < pairRanks.length - 1; i++) {
      const rank = pairRanks[i] as number;
      if (rank < lowest) {
        lowest = rank;
        at = i;
      }
    }
    if (at === -1) break;
    starts.splice(at + 1, 1);
    pairRanks.splice(at, 1);
    pairRanks[at] = rankAt(at);
    if (at > 0) pairRanks[at - 1] = rankAt(at - 1);
  }
  return starts.length - 1;
}
