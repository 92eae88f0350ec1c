import { jsonSchemaError } from "./guards/json-schema";
import { lintEvals } from "./lint-evals";
import type { PromptProblem } from "./prompt-problem";
import type { PromptDefinition } from "./prompt-schema";
import { lintTemplates } from "./lint-templates";
import { helperNames } from "./template-engine";
import type { YamlSource } from "./yaml-source";

/**
 * Checks a schema-valid prompt for what the schema cannot see: template syntax, variables against
 * declared inputs, guard contradictions and eval cases. Every problem names its line and column.
 */
export function lintPrompt(prompt: PromptDefinition, source: YamlSource, file: string): PromptProblem[] {
  const problems: PromptProblem[] = [];
  const report = (path: PropertyKey[], message: string, target: "value" | "key" = "value"): void => {
    problems.push({ file, ...source.locate(path, target), message });
  };

  const declared = new Map<string, number>();
  prompt.inputs.forEach((input, index) => {
    if (!declared.has(input.name)) declared.set(input.name, index);
  });
  prompt.inputs.forEach((input, index) => {
    if (declared.get(input.name) !== index) report(["inputs", index, "name"], `input \`${input.name}\` is declared twice`);
    if (helperNames.has(input.name)) report(["inputs", index, "name"], `input \`${input.name}\` has the name of a template helper; rename it`);
    if (input.type === "string" && Array.isArray(input.default)) {
      report(["inputs", index, "default"], `input \`${input.name}\` is a string but its default is a list; add \`type: list\``);
    }
  });

  const templates = lintTemplates(prompt, prompt.inputs.map((input) => input.name), { source, file });
  problems.push(...templates.problems);
  if (templates.complete) {
    prompt.inputs.forEach((input, index) => {
      if (!templates.used.has(input.name)) report(["inputs", index, "name"], `input \`${input.name}\` is declared but neither \`system\` nor \`template\` uses it`);
    });
  }

  const forbidden = new Set(prompt.guards.must_not_include);
  prompt.guards.must_include.forEach((text, index) => {
    if (forbidden.has(text)) report(["guards", "must_include", index], `${JSON.stringify(text)} is both required and forbidden`);
  });
  if (prompt.output.schema !== undefined) {
    if (prompt.output.format !== "json") {
      report(["output", "schema"], `\`output.schema\` needs \`format: json\` (the format is ${prompt.output.format})`, "key");
    }
    const error = jsonSchemaError(prompt.output.schema);
    if (error !== undefined) report(["output", "schema"], `\`output.schema\` cannot be used: ${error}`);
  }

  problems.push(...lintEvals(prompt, source, file));
  return problems;
}
