import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ParsedPromptFile } from "./parse-prompt-text";
import type { PromptDirectory } from "./prompt-directories";
import { listPromptFiles, parsePromptFiles } from "./scan-prompt-directory";

export interface LintRequest {
  /** Files or directories to lint; none means every registry directory. */
  paths: readonly string[];
  cwd: string;
  directories: readonly PromptDirectory[];
}

/**
 * Lints prompt files one by one (a broken file never hides another) and flags duplicate ids
 * among files of the same directory. Results come in input order, directories expanded.
 */
export function lintPromptFiles(request: LintRequest): ParsedPromptFile[] {
  const files =
    request.paths.length === 0
      ? request.directories.flatMap(({ dir }) => listPromptFiles(dir))
      : request.paths.flatMap((path) => {
          const absolute = resolve(request.cwd, path);
          return statSync(absolute, { throwIfNoEntry: false })?.isDirectory() === true ? listPromptFiles(absolute) : [absolute];
        });
  const unique = [...new Set(files)];
  const byDirectory = new Map<string, string[]>();
  for (const file of unique) byDirectory.set(dirname(file), [...(byDirectory.get(dirname(file)) ?? []), file]);
  const parsed = new Map<string, ParsedPromptFile>();
  for (const group of byDirectory.values()) for (const result of parsePromptFiles(group)) parsed.set(result.file, result);
  return unique.map((file) => parsed.get(file) as ParsedPromptFile);
}
