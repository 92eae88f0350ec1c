import { existsSync } from "node:fs";
import { join } from "node:path";
import { GromptError } from "../../core/domain/errors";
import { parsePromptText } from "../prompts/parse-prompt-text";
import type { PromptSource } from "../prompts/prompt-directories";
import { promptInvalidError } from "../prompts/prompt-problem";
import { promptIdPattern } from "../prompts/prompt-schema";
import { type CraftedPromptSource, craftedPromptYaml } from "./crafted-prompt-yaml";
import { writeFileAtomic } from "./write-file-atomic";

export interface SaveCraftedPromptRequest extends CraftedPromptSource {
  /** The project's prompts directory (`<repo>/.grompt/prompts`). */
  dir: string;
  /** Replace an existing file, or shadow a built-in or user prompt with the same id. */
  overwrite?: boolean;
  /** What the registry currently has under this id, if anything. */
  existing?: { file: string; source: PromptSource };
}

export interface SavedCraftedPrompt {
  file: string;
  /** The built-in or user prompt the new one now shadows. */
  shadows?: { file: string; source: PromptSource };
}

export type SaveTarget = Pick<SaveCraftedPromptRequest, "id" | "dir" | "overwrite" | "existing">;

/**
 * Where `--save-as <id>` would write, or the refusal (a bad id, an existing prompt without
 * --force) — checked before a craft job is created, so no money is spent on a prompt that cannot be saved.
 */
export function checkSaveTarget(request: SaveTarget): SavedCraftedPrompt {
  if (!promptIdPattern.test(request.id)) {
    throw new GromptError("invalid_input", `--save-as ${JSON.stringify(request.id)} is not a prompt id`, {
      hint: "Ids are kebab-case: lowercase letters, digits and dashes, at most 64 characters (for example review-pr).",
    });
  }
  const existing = request.existing;
  const file = existing?.source === "project" ? existing.file : join(request.dir, `${request.id}.yml`);
  if (existing !== undefined && request.overwrite !== true) {
    throw new GromptError("invalid_input", existing.source === "project"
      ? `prompt ${request.id} already exists in ${existing.file}`
      : `prompt ${request.id} would shadow the ${existing.source} prompt in ${existing.file}`, {
      hint: "Choose another id, or pass --force to replace it.",
      details: { id: request.id, file: existing.file, source: existing.source },
    });
  }
  if (existing === undefined && request.overwrite !== true && existsSync(file)) {
    throw new GromptError("invalid_input", `${file} already exists`, {
      hint: "Choose another id, or pass --force to replace the file.",
      details: { id: request.id, file },
    });
  }
  return existing === undefined || existing.source === "project" ? { file } : { file, shadows: existing };
}

/**
 * `grompt craft --save-as <id>`: writes the crafted prompt as a registry prompt that passes lint,
 * atomically, and never replaces or shadows anything unless asked. On any refusal nothing is written.
 */
export function saveCraftedPrompt(request: SaveCraftedPromptRequest): SavedCraftedPrompt {
  const target = checkSaveTarget(request);
  const { file } = target;
  const text = craftedPromptYaml(request);
  // The file must load as a registry prompt; a failure here is a bug, so nothing is written.
  const parsed = parsePromptText(text, file);
  if (parsed.problems.length > 0) throw promptInvalidError(parsed.problems);

  writeFileAtomic(file, text, { overwrite: request.overwrite === true });
  return target;
}
