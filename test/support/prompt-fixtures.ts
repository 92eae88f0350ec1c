import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";
import { parsePromptText } from "../../src/app/prompts/parse-prompt-text";
import type { PromptDefinition } from "../../src/app/prompts/prompt-schema";

/** A temporary directory removed after the test; `write` creates files (and parents) inside it. */
export function useTempDir(prefix = "grompt-prompts-"): () => { root: string; write(path: string, text: string): string } {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const root = mkdtempSync(join(tmpdir(), prefix));
    made.push(root);
    return {
      root,
      write(path, text) {
        const file = join(root, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
        return file;
      },
    };
  };
}

/** A minimal valid prompt file; `extra` lines are appended at the top level. */
export const promptYaml = (id: string, extra = ""): string =>
  `id: ${id}\nversion: "1.0.0"\npurpose: custom\ndescription: ${id} prompt\ntemplate: |\n  Do {{task}}\ninputs:\n  - name: task\n${extra}`;

/** Parses YAML text that must be a valid prompt (fails the test with its problems otherwise). */
export function definePrompt(text: string, file = "test.yml"): PromptDefinition {
  const parsed = parsePromptText(text, file);
  if (parsed.prompt === undefined) throw new Error(`invalid test prompt:\n${parsed.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join("\n")}`);
  return parsed.prompt;
}
