export interface HunkHeader {
  oldStart?: number;
  oldCount?: number;
  newStart?: number;
  newCount?: number;
}

/**
 * Reads `@@ -12,7 +12,8 @@ section` and everything models make of it: counts left out
 * (`@@ -12 +12 @@`), numbers left out (`@@ ... @@`, `@@ @@`, `@@`), the closing `@@` missing.
 * Returns null when the line is not a hunk header at all.
 */
export function parseHunkHeader(line: string): HunkHeader | null {
  if (!line.startsWith("@@")) return null;
  const body = line.replace(/^@@+/, "");
  const close = body.indexOf("@@");
  const ranges = close === -1 ? body : body.slice(0, close);
  const header: HunkHeader = {};
  const old = /(?:^|\s)-(\d+)(?:,(\d+))?(?=\s|$)/.exec(ranges);
  const neu = /(?:^|\s)\+(\d+)(?:,(\d+))?(?=\s|$)/.exec(ranges);
  if (old !== null) {
    header.oldStart = Number(old[1]);
    header.oldCount = old[2] === undefined ? 1 : Number(old[2]);
  }
  if (neu !== null) {
    header.newStart = Number(neu[1]);
    header.newCount = neu[2] === undefined ? 1 : Number(neu[2]);
  }
  return header;
}
