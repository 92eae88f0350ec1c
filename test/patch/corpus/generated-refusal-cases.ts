import type { RefusalReason } from "../../../src/app/patch";
import { fenced, type CorpusCase } from "./corpus-case";
import { renderDiff, type DiffHunk } from "./diff-writer";
import { changeLine, edits, type Edit } from "./edits";
import { editSource } from "./generate-cases";
import { sources, type Source } from "./sources";

const refusalSources = ["ms", "chalk", "fastq", "commander", "flatted-py", "flatted-go", "download-sh", "kysely", "yaml", "lodash", "color-name", "gaxios"];

const render = (path: string, hunks: DiffHunk[]): string => fenced(renderDiff([{ oldPath: path, newPath: path, hunks }], { git: false }));
const edit = (name: string): Edit => edits[name] as Edit;
const indentOf = (line: string): string => /^[ \t]*/.exec(line.slice(1))?.[0] ?? "";

/** The same hunks with one line rewritten by `map` (the first line `pick` accepts). */
function rewriteLine(hunks: readonly DiffHunk[], pick: (line: string) => boolean, map: (line: string) => string, hunkIndex = 0): DiffHunk[] | undefined {
  const target = hunks[hunkIndex];
  if (target === undefined) return undefined;
  const at = target.lines.findIndex(pick);
  if (at === -1) return undefined;
  return hunks.map((hunk, index) => (index === hunkIndex ? { ...hunk, lines: hunk.lines.map((line, position) => (position === at ? map(line) : line)) } : hunk));
}

const isRealContext = (line: string): boolean => line.startsWith(" ") && line.trim().length > 3;

interface Refusal {
  name: string;
  reason: RefusalReason;
  build(source: Source): { answer: string; files?: Record<string, string> } | undefined;
}

const refusals: readonly Refusal[] = [
  {
    name: "hallucinated-context",
    reason: "context-not-found",
    build(source) {
      const { input } = editSource(source, edit("change-line"));
      const hunks = rewriteLine(input.modelHunks, isRealContext, (line) => ` ${changeLine(line.slice(1))}`);
      return hunks && { answer: render(source.path, hunks) };
    },
  },
  {
    name: "placeholder-replaces-code",
    reason: "placeholder",
    build(source) {
      const { input } = editSource(source, edit("replace-block"));
      const hunks = input.modelHunks.map((hunk) => {
        const firstAdded = hunk.lines.find((line) => line.startsWith("+")) ?? "+";
        const placeholder = `+${indentOf(firstAdded)}${source.comment === "" ? "..." : `${source.comment} ... existing code ...`}`;
        return { ...hunk, lines: hunk.lines.flatMap((line) => (line.startsWith("+") ? (line === firstAdded ? [placeholder] : []) : [line])) };
      });
      return { answer: render(source.path, hunks) };
    },
  },
  {
    name: "placeholder-in-context",
    reason: "placeholder",
    build(source) {
      const { input } = editSource(source, edit("insert-lines"));
      const marker = source.comment === "" ? "..." : `${source.comment} ...rest unchanged`;
      const hunks = rewriteLine(input.modelHunks, (line) => line.startsWith(" "), (line) => ` ${indentOf(line)}${marker}`);
      return hunks && { answer: render(source.path, hunks) };
    },
  },
  {
    name: "last-hunk-fails",
    reason: "context-not-found",
    build(source) {
      const { input } = editSource(source, edit("three-hunks"));
      const hunks = rewriteLine(input.modelHunks, isRealContext, (line) => ` ${changeLine(line.slice(1))}`, 2);
      return hunks && { answer: render(source.path, hunks) };
    },
  },
  {
    name: "already-applied",
    reason: "already-applied",
    build(source) {
      const edited = editSource(source, edit("insert-lines"));
      return { answer: render(source.path, edited.input.cleanHunks), files: { [source.path]: edited.after } };
    },
  },
  {
    name: "file-missing",
    reason: "file-missing",
    build(source) {
      const { input } = editSource(source, edit("change-line"));
      return { answer: render(source.path.replace(/([^/]+)$/, "missing-$1"), input.modelHunks) };
    },
  },
];

/** Path attacks, each on a real diff whose content would otherwise apply. */
const pathAttacks: readonly { name: string; reason: RefusalReason; path: (source: Source) => string }[] = [
  { name: "absolute-path", reason: "path-absolute", path: (source) => `/tmp/${source.path}` },
  { name: "parent-path", reason: "path-parent", path: () => "../outside/keep.txt" },
  { name: "git-dir", reason: "path-git-dir", path: () => ".git/config" },
];

/** Every refusal on several real sources; the tree must stay byte-identical. */
export function generateRefusalCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  refusalSources.forEach((name, index) => {
    const source = sources.find((candidate) => candidate.name === name);
    if (source === undefined) throw new Error(`unknown source ${name}`);
    const edited = editSource(source, edit("change-line"));
    for (const [position, refusal] of refusals.entries()) {
      if ((index + position) % 2 === 1) continue;
      const built = refusal.build(source);
      if (built === undefined) continue;
      cases.push({
        name: `${source.name}/refuse/${refusal.name}`,
        expect: "refused",
        clean: false,
        tags: [`refuse:${refusal.name}`],
        files: built.files ?? { [source.path]: edited.before },
        answer: built.answer,
        reason: refusal.reason,
      });
    }
    const attack = pathAttacks[index % pathAttacks.length];
    if (attack === undefined) return;
    cases.push({
      name: `${source.name}/refuse/${attack.name}`,
      expect: "refused",
      clean: false,
      tags: [`refuse:${attack.name}`],
      files: { [source.path]: edited.before, ".git/config": "[core]\n\tbare = false\n" },
      answer: renderDiff([{ oldPath: attack.path(source), newPath: attack.path(source), hunks: edited.input.modelHunks }]),
      reason: attack.reason,
    });
  });
  return cases;
}
