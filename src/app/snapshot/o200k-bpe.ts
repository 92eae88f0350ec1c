import { NONE, type RankTable, rankOfRange } from "./o200k-rank-table";

// Scratch arrays reused across calls; a longer piece gets bigger ones.
let starts = new Int32Array(256);
let pairRanks = new Int32Array(256);

/**
 * How many tokens byte-pair encoding makes of one piece (its bytes as a latin1 string): one when
 * the whole piece is a token, else the classic merge loop — always merge the adjacent pair with
 * the lowest rank (the leftmost on ties) until no pair is a token. The same steps as
 * gpt-tokenizer's `bytePairMerge`, on typed arrays and without decoding UTF-8 for every pair.
 */
export function bpeCount(piece: string, table: RankTable): number {
  const length = piece.length;
  if (length <= 1) return length;
  if (rankOfRange(piece, 0, length, table) !== NONE) return 1;
  if (length > LONG_PIECE) return bpeCountLong(piece, table);
  if (starts.length < length + 1) {
    starts = new Int32Array(length + 1);
    pairRanks = new Int32Array(length + 1);
  }
  const s = starts;
  const r = pairRanks;
  // Part i covers piece[s[i], s[i + 1]); r[i] is the rank of parts i and i + 1 merged.
  let parts = length;
  for (let i = 0; i <= length; i++) s[i] = i;
  for (let i = 0; i < length - 1; i++) r[i] = table.pairs[(piece.charCodeAt(i) << 8) | piece.charCodeAt(i + 1)] as number;
  r[length - 1] = NONE;
  while (parts > 1) {
    let lowest = NONE;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      if ((r[i] as number) < lowest) {
        lowest = r[i] as number;
        at = i;
      }
    }
    if (at === -1) break;
    for (let k = at + 1; k < parts; k++) {
      s[k] = s[k + 1] as number;
      r[k] = r[k + 1] as number;
    }
    parts -= 1;
    r[at] = at + 2 > parts ? NONE : rankOfRange(piece, s[at] as number, s[at + 2] as number, table);
    if (at > 0) r[at - 1] = rankOfRange(piece, s[at - 1] as number, s[at + 1] as number, table);
  }
  return parts;
}

/** Above this many bytes the quadratic merge loop loses to a heap (a run of emoji, a line of `=`). */
const LONG_PIECE = 96;

/**
 * The same merges as `bpeCount` in O(n log n): candidate pairs wait in a min-heap ordered by
 * (rank, start), the leftmost lowest rank first as in the loop; parts form a linked list of start
 * offsets, and a heap entry whose parts have changed since it was pushed is skipped when popped.
 */
function bpeCountLong(piece: string, table: RankTable): number {
  const length = piece.length;
  const next = new Int32Array(length + 1);
  const previous = new Int32Array(length + 1);
  const alive = new Uint8Array(length + 1).fill(1);
  for (let i = 0; i <= length; i++) {
    next[i] = i + 1;
    previous[i] = i - 1;
  }
  const heap = createPairHeap(length);
  // The pair (part at `start`, the part after it), ending where the part after it ends.
  const push = (start: number) => {
    const middle = next[start] as number;
    if (start < 0 || middle >= length) return;
    const end = next[middle] as number;
    const rank = rankOfRange(piece, start, end, table);
    if (rank !== NONE) heap.push(rank, start, end);
  };
  for (let i = 0; i < length - 1; i++) push(i);
  let parts = length;
  while (heap.size() > 0) {
    const { start, end } = heap.pop();
    const middle = next[start] as number;
    if (alive[start] === 0 || middle >= length || next[middle] !== end) continue;
    alive[middle] = 0;
    next[start] = end;
    previous[end] = start;
    parts -= 1;
    push(previous[start] as number);
    push(start);
  }
  return parts;
}

/** A binary min-heap of (rank, start, end), ordered by rank, then start. */
function createPairHeap(capacity: number) {
  // rank < 2^21 and start < 2^31, so rank * 2^32 + start is an exact double that orders both.
  let keys = new Float64Array(capacity * 2 + 16);
  let ends = new Int32Array(capacity * 2 + 16);
  let size = 0;
  const swap = (a: number, b: number) => {
    const key = keys[a] as number;
    keys[a] = keys[b] as number;
    keys[b] = key;
    const end = ends[a] as number;
    ends[a] = ends[b] as number;
    ends[b] = end;
  };
  return {
    size: () => size,
    push(rank: number, start: number, end: number) {
      if (size === keys.length) {
        const biggerKeys = new Float64Array(size * 2);
        biggerKeys.set(keys);
        keys = biggerKeys;
        const biggerEnds = new Int32Array(size * 2);
        biggerEnds.set(ends);
        ends = biggerEnds;
      }
      let at = size++;
      keys[at] = rank * 4294967296 + start;
      ends[at] = end;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if ((keys[parent] as number) <= (keys[at] as number)) break;
        swap(parent, at);
        at = parent;
      }
    },
    pop(): { start: number; end: number } {
      const key = keys[0] as number;
      const end = ends[0] as number;
      size -= 1;
      keys[0] = keys[size] as number;
      ends[0] = ends[size] as number;
      let at = 0;
      for (;;) {
        const left = at * 2 + 1;
        if (left >= size) break;
        const right = left + 1;
        const child = right < size && (keys[right] as number) < (keys[left] as number) ? right : left;
        if ((keys[at] as number) <= (keys[child] as number)) break;
        swap(at, child);
        at = child;
      }
      return { start: key % 4294967296, end };
    },
  };
}
