import { renderDiff, type DiffFile, type DiffHunk, type RenderOptions } from "./diff-writer";
import type { Source } from "./sources";

/** Everything a mangle needs: the model's view of the correct diff (LF) and the real one. */
export interface MangleInput {
  source: Source;
  path: string;
  /** The correct diff computed on the file's real bytes (CRLF lines keep their \r). */
  cleanHunks: DiffHunk[];
  /** The correct diff as a model would write it, seeing the file with LF endings. */
  modelHunks: DiffHunk[];
}

/** A named way models get diffs wrong (or right); undefined when it does not fit this edit. */
export interface Mangle {
  name: string;
  build(input: MangleInput): string | undefined;
}

const fence = (diff: string, info = "diff"): string => `\`\`\`${info}\n${diff}\`\`\`\n`;
const prose = (diff: string): string => `I'll make the change you asked for.\n\n${diff}\nThis keeps the public behaviour the same.\n`;
const one = (input: MangleInput, hunks: DiffHunk[], options: RenderOptions = {}): string =>
  renderDiff([{ oldPath: input.path, newPath: input.path, hunks } satisfies DiffFile], options);
const mapHunks = (hunks: readonly DiffHunk[], map: (line: string) => string): DiffHunk[] => hunks.map((hunk) => ({ ...hunk, lines: hunk.lines.map(map) }));
const mapContent = (hunks: readonly DiffHunk[], map: (content: string, prefix: string) => string): DiffHunk[] =>
  mapHunks(hunks, (line) => (line.startsWith("\\") ? line : (line[0] ?? " ") + map(line.slice(1), line[0] ?? " ")));

/** Re-indents every hunk line the way models lose indentation: tabs become spaces, or the block shifts. */
function reindent(input: MangleInput): DiffHunk[] {
  if (input.source.indent === "tabs") return mapContent(input.modelHunks, (content) => content.replace(/^\t+/, (tabs) => "  ".repeat(tabs.length)));
  const contents = input.modelHunks.flatMap((hunk) => hunk.lines.filter((line) => !line.startsWith("\\") && line.slice(1).trim() !== "").map((line) => line.slice(1)));
  const smallest = Math.min(...contents.map((content) => /^ */.exec(content)?.[0].length ?? 0));
  if (smallest >= 2) return mapContent(input.modelHunks, (content) => (content.trim() === "" ? content : content.slice(smallest)));
  return mapContent(input.modelHunks, (content) => (content.trim() === "" ? content : `    ${content}`));
}

/** Drops the middle line of the first hunk's leading context (the model skipped it). */
function dropContextLine(hunks: readonly DiffHunk[]): DiffHunk[] | undefined {
  const [first, ...rest] = hunks;
  if (first === undefined) return undefined;
  const leading = first.lines.findIndex((line) => !line.startsWith(" "));
  if (leading < 3) return undefined;
  return [{ ...first, lines: first.lines.filter((_, index) => index !== 1) }, ...rest];
}

/** Adds a blank context line the file does not have, between two leading context lines. */
function extraBlankContext(hunks: readonly DiffHunk[]): DiffHunk[] | undefined {
  const [first, ...rest] = hunks;
  if (first === undefined) return undefined;
  const leading = first.lines.findIndex((line) => !line.startsWith(" "));
  if (leading < 3 || first.lines.slice(0, 3).some((line) => line.trim() === "")) return undefined;
  return [{ ...first, lines: [...first.lines.slice(0, 2), " ", ...first.lines.slice(2)] }, ...rest];
}

export const mangles: readonly Mangle[] = [
  { name: "fenced-with-prose", build: (input) => prose(fence(one(input, input.modelHunks))) },
  { name: "bare-with-prose", build: (input) => prose(one(input, input.modelHunks)) },
  { name: "no-git-header", build: (input) => fence(one(input, input.modelHunks, { git: false })) },
  { name: "no-prefixes", build: (input) => fence(one(input, input.modelHunks, { git: false, prefixes: false })) },
  {
    name: "wrong-counts",
    build: (input) => fence(one(input, input.modelHunks.map((hunk) => ({ ...hunk, oldLines: hunk.oldLines + 2, newLines: Math.max(0, hunk.newLines - 1) })))),
  },
  { name: "no-line-numbers", build: (input) => fence(one(input, input.modelHunks, { header: "dots" })) },
  { name: "bare-hunk-header", build: (input) => fence(one(input, input.modelHunks, { header: "bare", git: false })) },
  { name: "no-counts", build: (input) => fence(one(input, input.modelHunks, { header: "no-counts" })) },
  {
    name: "shifted-line-numbers",
    build: (input) => fence(one(input, input.modelHunks.map((hunk) => ({ ...hunk, oldStart: hunk.oldStart + 9, newStart: hunk.newStart + 9 })))),
  },
  {
    name: "blank-context-unprefixed",
    build: (input) => (input.modelHunks.some((hunk) => hunk.lines.includes(" ")) ? fence(one(input, mapHunks(input.modelHunks, (line) => (line === " " ? "" : line)))) : undefined),
  },
  {
    name: "unprefixed-context",
    build: (input) => fence(one(input, mapHunks(input.modelHunks, (line) => (/^ [^\s+\-@\\]/.test(line) ? line.slice(1) : line)), { git: false })),
  },
  { name: "trailing-whitespace", build: (input) => fence(one(input, mapHunks(input.modelHunks, (line) => (line.startsWith(" ") && line.trim() !== "" ? `${line}  ` : line)))) },
  { name: "reindented", build: (input) => fence(one(input, reindent(input), { git: false })) },
  {
    name: "dropped-context-line",
    build: (input) => {
      const hunks = dropContextLine(input.modelHunks);
      return hunks === undefined ? undefined : fence(one(input, hunks));
    },
  },
  {
    name: "extra-blank-context",
    build: (input) => {
      const hunks = extraBlankContext(input.modelHunks);
      return hunks === undefined ? undefined : fence(one(input, hunks, { header: "dots" }));
    },
  },
  { name: "crlf-answer", build: (input) => prose(fence(one(input, input.modelHunks))).replace(/\n/g, "\r\n") },
  {
    name: "repeated-diff",
    build: (input) => `${fence(one(input, input.modelHunks))}\nTo be sure, here it is again:\n\n${fence(one(input, input.modelHunks), "patch")}`,
  },
  { name: "timestamps", build: (input) => one(input, input.modelHunks, { git: false, timestamps: true }) },
  {
    name: "missing-eof-marker",
    build: (input) =>
      input.modelHunks.some((hunk) => hunk.lines.some((line) => line.startsWith("\\")))
        ? fence(one(input, input.modelHunks.map((hunk) => ({ ...hunk, lines: hunk.lines.filter((line) => !line.startsWith("\\")) }))))
        : undefined,
  },
  {
    name: "everything-at-once",
    build: (input) =>
      prose(fence(one(input, mapHunks(input.modelHunks, (line) => (line.startsWith(" ") && line.trim() !== "" ? `${line} ` : line)), { git: false, prefixes: false, header: "dots" }))),
  },
];

/** The correct diff exactly as git writes it, nothing around it. */
export const clean: Mangle = { name: "clean", build: (input) => one(input, input.cleanHunks) };
