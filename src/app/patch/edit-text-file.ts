import type { LocatedHunk } from "./locate-hunk";
import type { HunkReport } from "./patch-plan";
import { endsWithNewline, type TextFile } from "./text-file";

export interface NumberedHunk {
  /** 1-based index of the hunk in its file's diff. */
  number: number;
  located: LocatedHunk;
}

/**
 * Applies hunks already placed on `file` (non-overlapping, positions in the original) and returns
 * the new file. Untouched lines keep their bytes and endings; added lines take the file's usual
 * ending; the final-newline state changes only when the diff's `\ No newline` markers say so.
 */
export function editTextFile(file: TextFile, hunks: readonly NumberedHunk[]): { file: TextFile; reports: HunkReport[] } {
  const ordered = [...hunks].sort((x, y) => x.located.match.start - y.located.match.start);
  const lines: string[] = [];
  const endings: string[] = [];
  const emitFileLine = (index: number): void => {
    lines.push(file.lines[index] ?? "");
    endings.push(file.endings[index] ?? "");
  };
  const reports: HunkReport[] = [];
  let cursor = 0;
  for (const { number, located } of ordered) {
    const { hunk, match } = located;
    for (; cursor < match.start; cursor += 1) emitFileLine(cursor);
    let last = match.start - 1;
    let addedIndex = 0;
    let oldIndex = 0;
    // A line that replaces a removed one keeps that line's ending (a CRLF line in a mixed file
    // stays CRLF); other added lines take the file's usual ending.
    let replacedEndings: string[] = [];
    for (const line of hunk.lines) {
      if (line.kind === "add") {
        lines.push(located.added[addedIndex] ?? line.text);
        endings.push(replacedEndings.shift() || file.eol);
        addedIndex += 1;
        continue;
      }
      const at = match.alignment[oldIndex] ?? -1;
      oldIndex += 1;
      if (at < 0) continue;
      // File lines the hunk left out (dropped context) stay, in place.
      for (let skipped = last + 1; skipped < at; skipped += 1) emitFileLine(skipped);
      if (line.kind === "context") {
        emitFileLine(at);
        replacedEndings = [];
      } else {
        replacedEndings.push(file.endings[at] ?? "");
      }
      last = at;
    }
    cursor = Math.max(cursor, match.end);
    reports.push(reportOf(number, located));
  }
  for (; cursor < file.lines.length; cursor += 1) emitFileLine(cursor);

  for (let i = 0; i < endings.length - 1; i += 1) if (endings[i] === "") endings[i] = file.eol;
  if (lines.length > 0) {
    const lastIndex = lines.length - 1;
    endings[lastIndex] = finalNewline(file, ordered) ? endings[lastIndex] || file.eol : "";
  }
  return { file: { ...file, lines, endings }, reports };
}

/** Keeps the file's state unless a hunk reaching the end says otherwise with its markers. */
function finalNewline(file: TextFile, hunks: readonly NumberedHunk[]): boolean {
  let result = endsWithNewline(file);
  for (const { located } of hunks) {
    if (located.match.end !== file.lines.length) continue;
    const { oldEndsWithoutNewline, newEndsWithoutNewline } = located.hunk;
    if (newEndsWithoutNewline && !oldEndsWithoutNewline) result = false;
    if (oldEndsWithoutNewline && !newEndsWithoutNewline) result = true;
  }
  return result;
}

function reportOf(number: number, located: LocatedHunk): HunkReport {
  const { hunk, match, hint, strategy } = located;
  return {
    hunk: number,
    header: hunk.header,
    answerLine: hunk.answerLine,
    strategy,
    line: match.start + 1,
    hintLine: hint === undefined ? null : hint + 1,
    offset: hint === undefined ? null : match.start - hint,
    fuzz: match.looseLines + match.skippedFileLines + match.skippedHunkLines,
    reindented: located.reindented,
    added: hunk.lines.filter((line) => line.kind === "add").length,
    removed: hunk.lines.filter((line) => line.kind === "remove").length,
  };
}
