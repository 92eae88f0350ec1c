import { readFileSync } from "node:fs";
import { lintPrompt } from "./lint-prompt";
import type { PromptProblem } from "./prompt-problem";
import { type PromptDefinition, promptSchema } from "./prompt-schema";
import { schemaProblems } from "./schema-problems";
import { parseYamlSource } from "./yaml-source";

export interface ParsedPromptFile {
  file: string;
  /** Set only when the file has no problem at all. */
  prompt?: PromptDefinition;
  /** The id as written, even when other parts are broken (for duplicate detection and messages). */
  id?: string;
  /** Line of the `id:` value (duplicate-id messages point at it). */
  idLine?: number;
  problems: PromptProblem[];
}

/** YAML syntax → schema → lint, stopping at the first stage that finds problems. */
export function parsePromptText(text: string, file: string): ParsedPromptFile {
  const source = parseYamlSource(text);
  if (source.syntaxErrors.length > 0) {
    return { file, problems: source.syntaxErrors.map((e) => ({ file, ...e.position, message: `YAML syntax error: ${e.message}` })) };
  }
  const value = source.value;
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value)) {
    return { file, problems: [{ file, line: 1, column: 1, message: "a prompt file is a mapping with `id`, `version`, `purpose`, `description` and `template`" }] };
  }
  const rawId = (value as Record<string, unknown>).id;
  const id = typeof rawId === "string" ? rawId : undefined;
  const idLine = id === undefined ? undefined : source.locate(["id"]).line;
  const parsed = promptSchema.safeParse(value);
  if (!parsed.success) return { file, id, idLine, problems: schemaProblems(parsed.error.issues, source, file) };
  const problems = lintPrompt(parsed.data, source, file);
  return problems.length > 0 ? { file, id, idLine, problems } : { file, id, idLine, prompt: parsed.data, problems };
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
