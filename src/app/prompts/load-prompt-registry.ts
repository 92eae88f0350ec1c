import { GromptError } from "../../core/domain/errors";
import type { PromptDirectory, PromptSource } from "./prompt-directories";
import { promptInvalidError } from "./prompt-problem";
import type { PromptDefinition } from "./prompt-schema";
import { scanPromptDirectory } from "./scan-prompt-directory";

/** A prompt that won its id, where it came from and which files it shadows. */
export interface RegistryEntry {
  prompt: PromptDefinition;
  file: string;
  source: PromptSource;
  /** Lower-precedence files with the same id, nearest first. */
  shadows: { file: string; source: PromptSource; version: string }[];
}

export interface PromptRegistry {
  /** Directories read, lowest precedence first. */
  directories: readonly PromptDirectory[];
  /** Winning prompts sorted by id. */
  entries: readonly RegistryEntry[];
  find(id: string): RegistryEntry | undefined;
  /** The prompt with that id, or a `prompt_not_found` error that suggests close ids. */
  get(id: string): RegistryEntry;
}

/**
 * Loads every prompt directory; a later directory shadows an earlier one by id (built-in < user <
 * project). Any invalid file fails the load with `prompt_invalid` at its file:line:column — a
 * broken override must never fall back to the built-in silently.
 */
export function loadPromptRegistry(directories: readonly PromptDirectory[]): PromptRegistry {
  const winners = new Map<string, RegistryEntry>();
  for (const { source, dir } of directories) {
    const parsed = scanPromptDirectory(dir);
    const problems = parsed.flatMap((entry) => entry.problems);
    if (problems.length > 0) throw promptInvalidError(problems);
    for (const { prompt, file } of parsed) {
      if (prompt === undefined) continue;
      const previous = winners.get(prompt.id);
      const shadows = previous === undefined ? [] : [{ file: previous.file, source: previous.source, version: previous.prompt.version }, ...previous.shadows];
      winners.set(prompt.id, { prompt, file, source, shadows });
    }
  }
  const entries = [...winners.values()].sort((a, b) => a.prompt.id.localeCompare(b.prompt.id));
  const find = (id: string): RegistryEntry | undefined => winners.get(id);
  return {
    directories,
    entries,
    find,
    get(id) {
      const entry = find(id);
      if (entry !== undefined) return entry;
      const close = entries.map((e) => e.prompt.id).filter((known) => known.includes(id) || id.includes(known) || editDistance(known, id) <= 2);
      throw new GromptError("prompt_not_found", `no prompt has the id ${JSON.stringify(id)}`, {
        hint: close.length > 0 ? `Did you mean ${close.join(" or ")}? \`grompt prompts list\` shows them all.` : `Known ids: ${entries.map((e) => e.prompt.id).join(", ")}.`,
        details: { id },
      });
    },
  };
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
