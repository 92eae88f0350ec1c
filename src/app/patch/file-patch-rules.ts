import { looseForm } from "./file-index";
import { isPlaceholderLine } from "./is-placeholder-line";
import type { ParsedFilePatch } from "./parsed-diff";
import type { PatchProblem } from "./patch-problem";
import type { TreeEntry } from "./patch-tree";
import type { TextFile } from "./text-file";

type Problem = Pick<PatchProblem, "reason" | "message"> & Partial<Pick<PatchProblem, "missing">>;

/** Why the thing at `path` is not what the diff needs (`file` to edit, `missing` to create). */
export function entryProblem(entry: TreeEntry, path: string, want: "file" | "missing"): Problem {
  switch (entry.kind) {
    case "escapes-root":
      return { reason: "path-escapes-root", message: `"${path}" leads outside the repository through the symbolic link "${entry.through}".` };
    case "parent-not-directory":
      return { reason: "path-invalid", message: `"${path}" cannot exist: "${entry.parent}" is a file, not a directory.` };
    case "symlink":
      return { reason: "path-is-symlink", message: `"${path}" is a symbolic link; patch the file it points to instead.` };
    case "directory":
      return { reason: "path-is-directory", message: `"${path}" is a directory; a diff changes files.` };
    case "special":
      return { reason: "path-invalid", message: `"${path}" is not a regular file.` };
    case "missing":
      return { reason: "file-missing", message: `"${path}" does not exist; a diff that creates it starts with "--- /dev/null".` };
    case "file":
      return want === "missing"
        ? { reason: "file-exists", message: `"${path}" already exists; a new-file diff (--- /dev/null) will not overwrite it — diff against its content instead.` }
        : { reason: "path-invalid", message: `"${path}" is a file.` };
  }
}

/**
 * A new file's content: its added lines. Blank lines that lost their `+` count as added; any
 * other context or removed line means the model diffed against something that is not there.
 */
export function textOfNewFile(patch: ParsedFilePatch, path: string): { ok: true; text: string } | { ok: false; problem: Problem } {
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.kind !== "add" && line.text.trim() !== "") {
        return { ok: false, problem: { reason: "malformed", message: `The diff creates "${path}" but its hunk has context or removed lines (answer line ${line.answerLine}); a new file's lines all start with "+".` } };
      }
      if (isPlaceholderLine(line.text, path)) {
        return {
          ok: false,
          problem: { reason: "placeholder", message: `The new file holds an elision ("${line.text.trim()}"); write out its full content.`, missing: [{ text: line.text, answerLine: line.answerLine }] },
        };
      }
      lines.push(line.text);
    }
  }
  if (lines.length === 0) return { ok: true, text: "" };
  const last = patch.hunks[patch.hunks.length - 1];
  return { ok: true, text: lines.join("\n") + (last?.newEndsWithoutNewline === true ? "" : "\n") };
}

/** A deletion that lists content must list the file's content (whitespace aside), all of it. */
export function checkDeletion(file: TextFile, patch: ParsedFilePatch): Problem | undefined {
  if (patch.hunks.length === 0) return undefined;
  const listed = patch.hunks.flatMap((hunk) => hunk.lines);
  const added = listed.find((line) => line.kind === "add");
  if (added !== undefined) return { reason: "malformed", message: `The diff deletes the file but adds a line (answer line ${added.answerLine}).` };
  const placeholder = listed.find((line) => isPlaceholderLine(line.text, "") && !file.lines.some((real) => looseForm(real) === looseForm(line.text)));
  if (placeholder !== undefined) {
    return {
      reason: "placeholder",
      message: `The deletion abbreviates the file ("${placeholder.text.trim()}"); list every line, or use a "deleted file mode" header alone.`,
      missing: [{ text: placeholder.text, answerLine: placeholder.answerLine }],
    };
  }
  const differs = file.lines.findIndex((real, i) => looseForm(real) !== looseForm(listed[i]?.text ?? "\0"));
  if (differs === -1 && listed.length === file.lines.length) return undefined;
  const at = differs === -1 ? Math.min(listed.length, file.lines.length) : differs;
  return {
    reason: "delete-mismatch",
    message: `The deleted content does not match the file from line ${at + 1} on (the file has ${file.lines.length} lines, the diff lists ${listed.length}).`,
  };
}

/** `100755` adds execute where read is allowed; `100644` takes execute away; otherwise unchanged. */
export function modeAfter(current: number, newMode: string | undefined): number {
  if (newMode === "100755") return current | ((current & 0o444) >> 2);
  if (newMode === "100644") return current & ~0o111;
  return current;
}
