import { describe, expect, it } from "vitest";
import { indexLines } from "../../src/app/patch/file-index";
import { locateHunk, type LocateContext } from "../../src/app/patch/locate-hunk";
import type { ParsedHunk } from "../../src/app/patch/parsed-diff";

/** A hunk from diff-style lines (" ctx", "-old", "+new"). */
function hunk(lines: string[], header: Partial<ParsedHunk> = {}): ParsedHunk {
  return {
    header: "@@",
    answerLine: 1,
    oldEndsWithoutNewline: false,
    newEndsWithoutNewline: false,
    lines: lines.map((line, index) => ({ kind: line[0] === "-" ? "remove" : line[0] === "+" ? "add" : "context", text: line.slice(1), answerLine: index + 2 })),
    ...header,
  };
}

const context: LocateContext = { path: "a.ts", drift: 0, after: 0, taken: [] };
const file = [
  "import x from 'x';", //       1
  "", //                         2
  "function one() {", //         3
  "  const a = 1;", //           4
  "  return a;", //              5
  "}", //                        6
  "", //                         7
  "function two() {", //         8
  "  const a = 1;", //           9
  "  return a;", //              10
  "}", //                        11
];
const index = indexLines(file);

describe("locateHunk", () => {
  it("places an exact hunk where the header says, and elsewhere as an offset", () => {
    const exact = locateHunk(index, hunk([" function two() {", "-  const a = 1;", "+  const a = 2;"], { oldStart: 8, oldCount: 2 }), context);
    expect(exact).toMatchObject({ ok: true, located: { strategy: "exact", match: { start: 7 } } });
    const moved = locateHunk(index, hunk([" function two() {", "-  const a = 1;", "+  const a = 2;"], { oldStart: 2, oldCount: 2 }), context);
    expect(moved).toMatchObject({ ok: true, located: { strategy: "offset", match: { start: 7 } } });
  });

  it("lets the header's line decide between repeated blocks, by a clear margin only", () => {
    const repeated = hunk(["   const a = 1;", "-  return a;", "+  return a + 1;"]);
    expect(locateHunk(index, { ...repeated, oldStart: 9 }, context)).toMatchObject({ ok: true, located: { match: { start: 8 } } });
    expect(locateHunk(index, { ...repeated, oldStart: 4 }, context)).toMatchObject({ ok: true, located: { match: { start: 3 } } });
    const refused = locateHunk(index, { ...repeated, oldStart: 6 }, context);
    expect(refused).toMatchObject({ ok: false, problem: { reason: "ambiguous", candidates: [4, 9] } });
    expect(locateHunk(index, repeated, context)).toMatchObject({ ok: false, problem: { reason: "ambiguous" } });
  });

  it("looks after the previous hunk first, and never where one already sits", () => {
    const repeated = hunk(["   const a = 1;", "-  return a;", "+  return a + 1;"]);
    expect(locateHunk(index, repeated, { ...context, after: 6 })).toMatchObject({ ok: true, located: { match: { start: 8 } } });
    expect(locateHunk(index, repeated, { ...context, taken: [{ start: 2, end: 6 }] })).toMatchObject({ ok: true, located: { match: { start: 8 } } });
  });

  it("matches whitespace-tolerantly: trailing spaces, re-indentation, tabs", () => {
    const result = locateHunk(index, hunk([" function two() {  ", "-\tconst a = 1;", "+\tconst a = 2;"]), context);
    expect(result).toMatchObject({ ok: true, located: { strategy: "whitespace", match: { start: 7, looseLines: 2 } } });
  });

  it("tolerates a context line the model dropped and a blank context line the file lacks", () => {
    const dropped = locateHunk(index, hunk([" import x from 'x';", " function one() {", "-  const a = 1;", "+  const a = 3;"]), context);
    expect(dropped).toMatchObject({ ok: true, located: { strategy: "dropped-context", match: { start: 0, end: 4, skippedFileLines: 1, alignment: [0, 2, 3] } } });
    const extra = locateHunk(index, hunk([" function one() {", " ", "   const a = 1;", "-  return a;", "+  return 0;"]), context);
    expect(extra).toMatchObject({ ok: true, located: { strategy: "dropped-context", match: { start: 2, skippedHunkLines: 1, alignment: [2, -1, 3, 4] } } });
  });

  it("never skips a file line where the hunk adds lines: which side would they go?", () => {
    const result = locateHunk(index, hunk([" import x from 'x';", "+import y from 'y';", " function one() {"]), context);
    expect(result).toMatchObject({ ok: false, problem: { reason: "context-not-found" } });
  });

  it("refuses hallucinated context with the missing lines and the nearest real lines", () => {
    const result = locateHunk(index, hunk([" function two() {", "   const b = 1;", "-  return a;", "+  return b;"], { oldStart: 8 }), context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.reason).toBe("context-not-found");
    expect(result.problem.missing).toEqual([{ text: "  const b = 1;", answerLine: 3 }]);
    expect(result.problem.nearest?.lines.map((line) => line.line)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(result.problem.message).toContain("1 of the hunk's 3 context/removed lines is not in the file (it fits best at lines 8-10)");
  });

  it("names an elision in the context as the reason, and spots a hunk that is already applied", () => {
    expect(locateHunk(index, hunk([" function one() {", " // ... existing code ...", "-}", "+};"]), context)).toMatchObject({ ok: false, problem: { reason: "placeholder" } });
    expect(locateHunk(index, hunk([" import x from 'x';", "-import y from 'y';", "+"]), context)).toMatchObject({ ok: false, problem: { reason: "already-applied" } });
  });

  it("refuses when dropping a blank line could put the added lines on either side of it", () => {
    const python = indexLines(["def parse(x):", "    return value", "", "", "def stringify(x):", "    return x"]);
    const result = locateHunk(python, hunk(["     return value", " ", " ", "+# helpers", " ", " def stringify(x):"]), context);
    expect(result).toMatchObject({ ok: false, problem: { reason: "ambiguous" } });
  });

  it("weighs the header's line both as written and shifted by earlier hunks' drift", () => {
    const repeated = hunk(["   const a = 1;", "-  return a;", "+  return a + 1;"], { oldStart: 4 });
    expect(locateHunk(index, repeated, { ...context, drift: 0 })).toMatchObject({ ok: true, located: { match: { start: 3 } } });
    expect(locateHunk(index, repeated, { ...context, drift: 3 })).toMatchObject({ ok: false, problem: { reason: "ambiguous" } });
  });

  it("places a pure insertion only into an empty file or at the end the header names", () => {
    const append = hunk(["+// end"], { oldStart: 11, oldCount: 0 });
    expect(locateHunk(index, append, context)).toMatchObject({ ok: true, located: { match: { start: 11, end: 11 } } });
    expect(locateHunk(indexLines([]), hunk(["+first"]), context)).toMatchObject({ ok: true, located: { match: { start: 0 } } });
    expect(locateHunk(index, hunk(["+// middle"], { oldStart: 5, oldCount: 0 }), context)).toMatchObject({ ok: false, problem: { reason: "no-context" } });
  });
});
