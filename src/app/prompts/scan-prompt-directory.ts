import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type ParsedPromptFile, readPromptFile } from "./parse-prompt-text";

const isPromptFileName = (name: string): boolean => /\.ya?ml$/i.test(name) && !name.startsWith(".");

/** The prompt files of one directory (`*.yml`, `*.yaml`, no dotfiles), sorted; none when it does not exist. */
export function listPromptFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter(isPromptFileName)
    .sort()
    .map((name) => join(dir, name))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile() === true);
}

/**
 * Parses prompt files that live side by side and adds a problem to each file whose id another one
 * in the same directory also uses (naming the other file), since neither can be said to win.
 */
export function parsePromptFiles(files: readonly string[]): ParsedPromptFile[] {
  const parsed = files.map(readPromptFile);
  const byId = new Map<string, ParsedPromptFile[]>();
  for (const entry of parsed) {
    if (entry.id === undefined) continue;
    byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry]);
  }
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const entry of group) {
      const others = group.filter((other) => other !== entry).map((other) => `${other.file}:${other.idAt?.line ?? 1}`);
      entry.problems.push({ file: entry.file, ...(entry.idAt ?? { line: 1, column: 1 }), message: `duplicate id \`${id}\`: also defined in ${others.join(", ")}` });
      delete entry.prompt;
    }
  }
  return parsed;
}

/** Every prompt file of a directory, parsed, with duplicate ids flagged. */
export const scanPromptDirectory = (dir: string): ParsedPromptFile[] => parsePromptFiles(listPromptFiles(dir));
