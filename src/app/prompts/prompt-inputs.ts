import { GromptError } from "../../core/domain/errors";
import type { PromptDefinition, VarValue } from "./prompt-schema";

/** What a template sees: every declared input, as text or a list of texts. */
export type TemplateContext = Record<string, string | string[]>;

export interface ResolvedVars {
  context: TemplateContext;
  /** Required inputs with no value and no default. */
  missing: string[];
  /** Given names no input declares. */
  unknown: string[];
  /** Values of the wrong shape (a list for a string input). */
  invalid: { name: string; message: string }[];
}

/**
 * Fills every declared input: the given value, else the default, else empty ("" or []) for optional
 * inputs — so strict rendering fails only on names the prompt never declared.
 */
export function resolvePromptVars(prompt: PromptDefinition, vars: Readonly<Record<string, VarValue | undefined>>): ResolvedVars {
  const declared = new Set(prompt.inputs.map((input) => input.name));
  const resolved: ResolvedVars = {
    context: {},
    missing: [],
    unknown: Object.keys(vars).filter((name) => !declared.has(name) && vars[name] !== undefined),
    invalid: [],
  };
  for (const input of prompt.inputs) {
    const value = vars[input.name] ?? input.default;
    if (value === undefined) {
      if (input.required) resolved.missing.push(input.name);
      resolved.context[input.name] = input.type === "list" ? [] : "";
      continue;
    }
    if (input.type === "list") {
      resolved.context[input.name] = (Array.isArray(value) ? value : [value]).map(String);
    } else if (Array.isArray(value)) {
      resolved.invalid.push({ name: input.name, message: `input \`${input.name}\` takes one text, not a list` });
      resolved.context[input.name] = value.map(String).join("\n");
    } else {
      resolved.context[input.name] = String(value);
    }
    const outside = [resolved.context[input.name] ?? []].flat().find((item) => input.values !== undefined && !input.values.includes(item));
    if (outside !== undefined && input.values !== undefined) {
      resolved.invalid.push({ name: input.name, message: `input \`${input.name}\` is ${JSON.stringify(outside)}; allowed: ${input.values.join(", ")}` });
    }
  }
  return resolved;
}

/** The template context, or an `invalid_input` error naming every missing, unknown or malformed input. */
export function requirePromptVars(prompt: PromptDefinition, vars: Readonly<Record<string, VarValue | undefined>>): TemplateContext {
  const resolved = resolvePromptVars(prompt, vars);
  const inputList = prompt.inputs.map((i) => `${i.name}${i.required ? "" : "?"}`).join(", ") || "none";
  if (resolved.missing.length > 0) {
    const names = resolved.missing.map((n) => `\`${n}\``).join(", ");
    throw new GromptError("invalid_input", `prompt ${prompt.id} needs ${names}: ${resolved.missing.length === 1 ? "it is" : "they are"} required and ${resolved.missing.length === 1 ? "has" : "have"} no default`, {
      hint: `Give ${resolved.missing.map((n) => `--var ${n}=...`).join(" ")} (inputs: ${inputList}).`,
      details: { promptId: prompt.id, missing: resolved.missing },
    });
  }
  if (resolved.unknown.length > 0) {
    throw new GromptError("invalid_input", `prompt ${prompt.id} has no input ${resolved.unknown.map((n) => `\`${n}\``).join(", ")}`, {
      hint: `Its inputs are: ${inputList}.`,
      details: { promptId: prompt.id, unknown: resolved.unknown },
    });
  }
  const invalid = resolved.invalid[0];
  if (invalid !== undefined) {
    throw new GromptError("invalid_input", `prompt ${prompt.id}: ${invalid.message}`, {
      hint: invalid.message.includes("allowed:") ? "Use one of the allowed values." : "Give the value once, or declare the input with `type: list`.",
      details: { promptId: prompt.id, input: invalid.name },
    });
  }
  return resolved.context;
}
