import { readFileSync } from "node:fs";
import { lintPrompt } from "./lint-prompt";
import { lintTemplates } from "./lint-templates";
import type { PromptProblem } from "./prompt-problem";
import { type PromptDefinition, promptSchema } from "./prompt-schema";
import { schemaProblems } from "./schema-problems";
import { type SourcePosition, parseYamlSource } from "./yaml-source";

export interface ParsedPromptFile {
  file: string;
  /** Set only when the file has no problem at all. */
  prompt?: PromptDefinition;
  /** The id as written, even when other parts are broken (for duplicate detection and messages). */
  id?: string;
  /** Where the `id:` value is (duplicate-id messages point at it). */
  idAt?: SourcePosition;
  problems: PromptProblem[];
}

/** YAML syntax → schema → lint, stopping at the first stage that finds problems. */
export function parsePromptText(text: string, file: string): ParsedPromptFile {
  const source = parseYamlSource(text);
  const syntaxError = source.syntaxErrors[0];
  if (syntaxError !== undefined) {
    // YAML errors cascade; the first one is the one to fix.
    return { file, problems: [{ file, ...syntaxError.position, message: `YAML syntax error: ${syntaxError.message}` }] };
  }
  const value = source.value;
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    return { file, problems: [{ file, line: 1, column: 1, message: "a prompt file is a mapping with `id`, `version`, `purpose`, `description` and `template`" }] };
  }
  const rawId = (value as Record<string, unknown>).id;
  const id = typeof rawId === "string" ? rawId : undefined;
  const idAt = id === undefined ? undefined : source.locate(["id"]);
  const parsed = promptSchema.safeParse(value);
  if (!parsed.success) {
    // Report template problems too, so one lint run shows as much as it can.
    const rawInputs = (value as Record<string, unknown>).inputs;
    const names = Array.isArray(rawInputs) ? rawInputs.map((input) => (input as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === "string") : [];
    const templates = lintTemplates(value as Record<string, unknown>, names, { source, file });
    return { file, id, idAt, problems: [...schemaProblems(parsed.error.issues, source, file), ...templates.problems] };
  }
  const problems = lintPrompt(parsed.data, source, file);
  return problems.length > 0 ? { file, id, idAt, problems } : { file, id, idAt, prompt: parsed.data, problems };
}

/** Reads and parses one prompt file; an unreadable file is a problem at line 1. */
export function readPromptFile(file: string): ParsedPromptFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return { file, problems: [{ file, line: 1, column: 1, message: `cannot read the file: ${reason}` }] };
  }
  return parsePromptText(text, file);
}
