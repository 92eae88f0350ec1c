import type { CorpusCase } from "./corpus-case";
import { hunksBetween } from "./diff-writer";
import { edits, type Edit } from "./edits";
import { clean, mangles, type MangleInput } from "./mangles";
import { sourceText, sources, type Source } from "./sources";

/** Which real edits each source gets (JSON takes no comment lines; the rest take them all). */
const editsFor = (source: Source): Edit[] => {
  const names = source.name === "package-json" ? ["change-line", "delete-lines"] : ["change-line", "insert-lines", "delete-lines", "replace-block", "three-hunks"];
  if (source.name === "gaxios") names.push("append-end");
  if (source.name === "ms" || source.name === "flatted-go") names.push("first-line");
  return names.map((name) => edits[name] as Edit);
};

export interface EditedSource {
  source: Source;
  /** The file's real bytes before and after the edit. */
  before: string;
  after: string;
  input: MangleInput;
}

/**
 * Applies a real edit to a real file. The edit works on LF lines (what a model sees); the real
 * after-text keeps the file's own line endings and final-newline state, so it is exactly the
 * result a careful human would produce.
 */
export function editSource(source: Source, edit: Edit): EditedSource {
  const before = sourceText(source.name);
  const crlf = before.includes("\r\n");
  const lf = before.replace(/\r\n/g, "\n");
  const finalNewline = lf.endsWith("\n");
  const lines = (finalNewline ? lf.slice(0, -1) : lf).split("\n");
  const edited = edit.apply(lines, source);
  const lfAfter = edited.join("\n") + (finalNewline ? "\n" : "");
  const after = crlf ? lfAfter.replace(/\n/g, "\r\n") : lfAfter;
  return {
    source,
    before,
    after,
    input: { source, path: source.path, cleanHunks: hunksBetween(before, after), modelHunks: hunksBetween(lf, lfAfter) },
  };
}

/** Combinations every run must hold, whatever the rotation gives. */
const featured: readonly [string, string, string][] = [
  ["chalk", "insert-lines", "reindented"],
  ["flatted-go", "replace-block", "reindented"],
  ["color-name", "insert-lines", "reindented"],
  ["commander", "insert-lines", "reindented"],
  ["flatted-py", "insert-lines", "reindented"],
  ["fastq", "three-hunks", "reindented"],
  ["color-name", "replace-block", "no-line-numbers"],
  ["json-schema", "insert-lines", "trailing-whitespace"],
  ["json-schema", "three-hunks", "no-git-header"],
  ["gaxios", "append-end", "missing-eof-marker"],
  ["gaxios", "append-end", "no-line-numbers"],
  ["kysely", "three-hunks", "no-line-numbers"],
  ["kysely", "insert-lines", "bare-hunk-header"],
  ["commander", "three-hunks", "dropped-context-line"],
  ["yaml", "replace-block", "dropped-context-line"],
  ["commander", "delete-lines", "blank-context-unprefixed"],
  ["flatted-py", "three-hunks", "blank-context-unprefixed"],
  ["readme", "insert-lines", "unprefixed-context"],
  ["download-sh", "three-hunks", "everything-at-once"],
  ["ms", "first-line", "shifted-line-numbers"],
];

/**
 * Every source × its edits: the clean git diff of the first edit (for the `git apply`
 * comparison), and each edit mangled in a named way, the mangles rotating so that each one
 * lands on several sources and edits.
 */
export function generateApplicableCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  let rotation = 0;
  for (const source of sources.filter((candidate) => candidate.handOnly !== true)) {
    editsFor(source).forEach((edit, position) => {
      const edited = editSource(source, edit);
      const base = { expect: "applied" as const, files: { [source.path]: edited.before }, expected: { [source.path]: edited.after } };
      if (position === 0 || edit.name === "three-hunks") {
        cases.push({ ...base, name: `${source.name}/${edit.name}/clean`, clean: true, tags: ["clean"], answer: clean.build(edited.input) ?? "" });
      }
      for (let attempt = 0; attempt < mangles.length; attempt += 1) {
        const mangle = mangles[(rotation + attempt) % mangles.length];
        const answer = mangle?.build(edited.input);
        if (mangle === undefined || answer === undefined) continue;
        cases.push({ ...base, name: `${source.name}/${edit.name}/${mangle.name}`, clean: false, tags: [mangle.name], answer });
        rotation = (rotation + attempt + 1) % mangles.length;
        break;
      }
    });
  }
  for (const [sourceName, editName, mangleName] of featured) {
    const name = `${sourceName}/${editName}/${mangleName}`;
    if (cases.some((existing) => existing.name === name)) continue;
    const source = sources.find((candidate) => candidate.name === sourceName);
    const mangle = mangles.find((candidate) => candidate.name === mangleName);
    const edit = edits[editName];
    if (source === undefined || mangle === undefined || edit === undefined) throw new Error(`unknown featured case ${name}`);
    const edited = editSource(source, edit);
    const answer = mangle.build(edited.input);
    if (answer === undefined) throw new Error(`featured case ${name} does not fit its edit`);
    cases.push({ name, expect: "applied", clean: false, tags: [mangle.name], files: { [source.path]: edited.before }, expected: { [source.path]: edited.after }, answer });
  }
  return cases;
}
