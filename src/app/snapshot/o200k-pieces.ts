/**
 * The o200k_base split regex, restricted to ASCII, as a byte-class scanner:
 *
 *   [^\r\n\p{L}\p{N}]?[\p{Lu}…]*[\p{Ll}…]+(contraction)?   letters, optionally after one prefix char
 *   [^\r\n\p{L}\p{N}]?[\p{Lu}…]+[\p{Ll}…]*(contraction)?
 *   \p{N}{1,3}
 *    ?[^\s\p{L}\p{N}]+[\r\n/]*                             punctuation
 *   \s*[\r\n]+ | \s+(?!\S) | \s+                           whitespace
 *
 * `pieceEnd` returns where the piece starting at `i` ends, or NEEDS_REGEX when a non-ASCII
 * character takes part in the decision (it might be a letter, a digit or a space); the caller then
 * asks the real regex for that one piece. Every ASCII-only decision matches the regex exactly.
 */
export const NEEDS_REGEX = -1;
const NO_LETTERS = -2;

const UPPER = 1;
const LOWER = 2;
const DIGIT = 3;
const NEWLINE = 4; // \r \n
const SPACE = 5; // \t \v \f " " — the rest of \s
const OTHER = 6; // punctuation and control characters
const classOf = new Uint8Array(128).map((_, c) => {
  if (c >= 65 && c <= 90) return UPPER;
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 48 && c <= 57) return DIGIT;
  if (c === 10 || c === 13) return NEWLINE;
  if (c === 9 || c === 11 || c === 12 || c === 32) return SPACE;
  return OTHER;
});

export function pieceEnd(text: string, i: number, n: number): number {
  const code = text.charCodeAt(i);
  if (code >= 128) return NEEDS_REGEX;
  const c = classOf[code];
  if (c === UPPER || c === LOWER) return letters(text, i, n);
  if (c === DIGIT) {
    let end = i + 1;
    while (end < n && end < i + 3) {
      const next = text.charCodeAt(end);
      if (next >= 128) return NEEDS_REGEX;
      if (classOf[next] !== DIGIT) break;
      end += 1;
    }
    return end;
  }
  let punctuationStart = c === OTHER ? i : -1;
  if ((c === SPACE || c === OTHER) && i + 1 < n) {
    const end = letters(text, i + 1, n);
    if (end !== NO_LETTERS) return end;
    if (code === 32 && classOf[text.charCodeAt(i + 1)] === OTHER) punctuationStart = i + 1;
  }
  if (punctuationStart >= 0) {
    let end = punctuationStart;
    while (end < n) {
      const next = text.charCodeAt(end);
      if (next >= 128) return NEEDS_REGEX;
      if (classOf[next] !== OTHER) break;
      end += 1;
    }
    while (end < n) {
      const next = text.charCodeAt(end);
      if (next !== 10 && next !== 13 && next !== 47) break;
      end += 1;
    }
    return end;
  }
  let end = i;
  let lastNewline = -1;
  while (end < n) {
    const next = text.charCodeAt(end);
    if (next >= 128) return NEEDS_REGEX;
    const cls = classOf[next];
    if (cls === NEWLINE) lastNewline = end;
    else if (cls !== SPACE) break;
    end += 1;
  }
  if (lastNewline >= 0) return lastNewline + 1;
  if (end === n || end - i === 1) return end;
  return end - 1;
}

/** `[A-Z]*[a-z]+` or `[A-Z]+[a-z]*` from `j`, plus a contraction; NO_LETTERS or NEEDS_REGEX otherwise. */
function letters(text: string, j: number, n: number): number {
  let upperEnd = j;
  for (; upperEnd < n; upperEnd += 1) {
    const next = text.charCodeAt(upperEnd);
    if (next >= 128) return NEEDS_REGEX;
    if (classOf[next] !== UPPER) break;
  }
  let lowerEnd = upperEnd;
  for (; lowerEnd < n; lowerEnd += 1) {
    const next = text.charCodeAt(lowerEnd);
    if (next >= 128) return NEEDS_REGEX;
    if (classOf[next] !== LOWER) break;
  }
  if (lowerEnd === j) return NO_LETTERS;
  return lowerEnd + contraction(text, lowerEnd, n);
}

/** Length of `'s 'd 'm 't 'll 've 're` (either case) at `i`, or 0. The regex has no lookahead after it. */
function contraction(text: string, i: number, n: number): number {
  if (i >= n || text.charCodeAt(i) !== 39) return 0;
  const a = i + 1 < n ? text.charCodeAt(i + 1) | 32 : 0;
  if (a === 115 || a === 100 || a === 109 || a === 116) return 2;
  const b = i + 2 < n ? text.charCodeAt(i + 2) | 32 : 0;
  if ((a === 108 && b === 108) || (a === 118 && b === 101) || (a === 114 && b === 101)) return 3;
  return 0;
}
