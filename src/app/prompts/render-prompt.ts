import { GromptError } from "../../core/domain/errors";
import type { GenInput } from "../../core/ports/provider-port";
import { type TemplateContext, requirePromptVars } from "./prompt-inputs";
import type { PromptDefinition, VarValue } from "./prompt-schema";
import { renderTemplate } from "./template-engine";

/**
 * The prompt's `system` and `template` rendered with the given values — exactly what a provider
 * receives. Missing required inputs and unknown names are `invalid_input` errors.
 */
export function renderPrompt(prompt: PromptDefinition, vars: Readonly<Record<string, VarValue | undefined>>): GenInput {
  return renderWithContext(prompt, requirePromptVars(prompt, vars));
}

export function renderWithContext(prompt: PromptDefinition, context: TemplateContext): GenInput {
  const system = prompt.system === undefined ? undefined : renderField(prompt, "system", prompt.system, context);
  const user = renderField(prompt, "template", prompt.template, context);
  return system === undefined || system.trim() === "" ? { user } : { system, user };
}

function renderField(prompt: PromptDefinition, field: string, text: string, context: TemplateContext): string {
  try {
    return renderTemplate(text, context);
  } catch (error) {
    // Lint rejects every template that could fail here; reaching this means an unlinted definition.
    const message = error instanceof Error ? error.message : String(error);
    throw new GromptError("prompt_invalid", `prompt ${prompt.id}: \`${field}\` cannot be rendered: ${message}`, {
      hint: "Run `grompt prompts lint` on the prompt's file.",
      cause: error,
    });
  }
}
