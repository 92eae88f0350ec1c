import { parseGitHeaderPaths, parseHeaderPath, parsePlainPath, toDiffPath } from "./parse-diff-path";
import { parseHunkHeader } from "./parse-hunk-header";
import type { DiffBlock, ParsedFilePatch } from "./parsed-diff";
import type { PatchProblem } from "./patch-problem";
import { readHunkBody } from "./read-hunk-body";

export interface ParsedBlock {
  files: ParsedFilePatch[];
  problems: PatchProblem[];
}

const gitExtendedHeader =
  /^(old mode|new mode|deleted file mode|new file mode|rename from|rename to|copy from|copy to|similarity index|dissimilarity index|index) (.*)$/;

/**
 * Parses one block of diff text into file patches, tolerating what models get wrong (see
 * read-hunk-body.ts for hunk bodies, parse-diff-path.ts for paths). Lines that are neither headers
 * nor hunks are prose and skipped.
 */
export function parseDiffText(block: DiffBlock): ParsedBlock {
  const lines = block.text.split("\n");
  const files: ParsedFilePatch[] = [];
  const problems: PatchProblem[] = [];
  let current: ParsedFilePatch | undefined;
  /** `diff --git` seen and no `---`/`+++` or hunk yet: extended headers and file headers still belong to it. */
  let gitHeaderOpen = false;
  const answerLine = (index: number): number => block.startLine + index;
  const start = (file: ParsedFilePatch): void => {
    files.push(file);
    current = file;
  };

  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    if (line.startsWith("diff --git ")) {
      const paths = parseGitHeaderPaths(line.slice("diff --git ".length));
      start(newFilePatch(answerLine(index), paths?.oldPath ?? null, paths?.newPath ?? null));
      gitHeaderOpen = true;
      index += 1;
      continue;
    }
    if (line.startsWith("--- ") && (lines[index + 1] ?? "").startsWith("+++ ")) {
      const oldPath = parseHeaderPath(line.slice(4));
      const newPath = parseHeaderPath((lines[index + 1] ?? "").slice(4));
      if (gitHeaderOpen && current !== undefined) {
        current.oldPath = oldPath;
        current.newPath = newPath;
      } else {
        start(newFilePatch(answerLine(index), oldPath, newPath));
      }
      gitHeaderOpen = false;
      index += 2;
      continue;
    }
    const binary = /^Binary files (.+) and (.+) differ$/.exec(line);
    if (binary !== null || line.startsWith("GIT binary patch")) {
      if (!gitHeaderOpen || current === undefined) {
        start(newFilePatch(answerLine(index), parseHeaderPath(binary?.[1] ?? ""), parseHeaderPath(binary?.[2] ?? "")));
      }
      if (current !== undefined) current.isBinary = true;
      gitHeaderOpen = false;
      index += 1;
      continue;
    }
    const extended = gitHeaderOpen && current !== undefined ? gitExtendedHeader.exec(line) : null;
    if (extended !== null && current !== undefined) {
      applyExtendedHeader(current, extended[1] ?? "", extended[2] ?? "");
      index += 1;
      continue;
    }
    const header = parseHunkHeader(line);
    if (header !== null) {
      gitHeaderOpen = false;
      if (current === undefined && block.pathHint !== undefined) {
        const path = toDiffPath(block.pathHint);
        start(newFilePatch(answerLine(index), path, path));
      }
      const body = readHunkBody(lines, index + 1, { header, lenient: block.fenced, firstLine: block.startLine });
      if (current === undefined) {
        problems.push({
          reason: "hunk-without-file",
          message: "A hunk has no file header: start each file's diff with `--- a/path` and `+++ b/path` lines.",
          header: line,
          answerLine: answerLine(index),
        });
      } else {
        current.hunks.push({
          header: line,
          answerLine: answerLine(index),
          ...header,
          lines: body.lines,
          oldEndsWithoutNewline: body.oldEndsWithoutNewline,
          newEndsWithoutNewline: body.newEndsWithoutNewline,
        });
      }
      index = Math.max(body.end, index + 1);
      continue;
    }
    // Prose between or around diffs, an svn `Index:` banner, or an unknown git header: skipped.
    index += 1;
  }
  if (block.closedEarlyAt !== undefined) {
    problems.push({
      reason: "malformed",
      message: `The diff block closes at answer line ${block.closedEarlyAt}, but diff lines follow: a line of the diff that starts with \`\`\` must keep its " ", "+" or "-" prefix (or fence the diff with \`\`\`\`).`,
      answerLine: block.closedEarlyAt,
    });
  }
  return { files, problems };
}

function newFilePatch(answerLine: number, oldPath: ParsedFilePatch["oldPath"], newPath: ParsedFilePatch["newPath"]): ParsedFilePatch {
  return { answerLine, oldPath, newPath, isNew: false, isDeleted: false, isBinary: false, hunks: [] };
}

function applyExtendedHeader(file: ParsedFilePatch, name: string, value: string): void {
  const mode = /^\d{6}$/.test(value.trim()) ? value.trim() : undefined;
  switch (name) {
    case "old mode":
      file.oldMode = mode;
      break;
    case "new mode":
      file.newMode = mode;
      break;
    case "deleted file mode":
      file.isDeleted = true;
      file.oldMode = mode;
      break;
    case "new file mode":
      file.isNew = true;
      file.newMode = mode;
      break;
    case "rename from":
      file.renameFrom = parsePlainPath(value);
      break;
    case "rename to":
      file.renameTo = parsePlainPath(value);
      break;
    case "copy from":
      file.copyFrom = parsePlainPath(value);
      break;
    case "copy to":
      file.copyTo = parsePlainPath(value);
      break;
    default:
      // `index abc..def 100644`, similarity: nothing to act on (an unchanged mode stays as it is).
      break;
  }
}
