import { jsonSchemaError } from "./guards/json-schema";
import { lintEvals } from "./lint-evals";
import type { PromptProblem } from "./prompt-problem";
import type { PromptDefinition } from "./prompt-schema";
import { helperNames, lastSyntaxErrorPosition, parseTemplate } from "./template-engine";
import { findTemplateReferences, type TemplateVariable } from "./template-references";
import type { YamlSource } from "./yaml-source";

/** The fields rendered through Handlebars. */
const templateFields = ["system", "template"] as const;

/**
 * Checks a schema-valid prompt for what the schema cannot see: template syntax, variables against
 * declared inputs, guard contradictions and eval cases. Every problem names its line and column.
 */
export function lintPrompt(prompt: PromptDefinition, source: YamlSource, file: string): PromptProblem[] {
  const problems: PromptProblem[] = [];
  const report = (path: PropertyKey[], message: string, target: "value" | "key" = "value"): void => {
    problems.push({ file, ...source.locate(path, target), message });
  };

  const declared = new Map(prompt.inputs.map((input, index) => [input.name, index]));
  prompt.inputs.forEach((input, index) => {
    if (declared.get(input.name) !== index) report(["inputs", index, "name"], `input \`${input.name}\` is declared twice`);
    if (helperNames.has(input.name)) report(["inputs", index, "name"], `input \`${input.name}\` has the name of a template helper; rename it`);
    if (input.type === "string" && Array.isArray(input.default)) {
      report(["inputs", index, "default"], `input \`${input.name}\` is a string but its default is a list; add \`type: list\``);
    }
  });

  const used = new Set<string>();
  for (const field of templateFields) {
    const text = prompt[field];
    if (text === undefined) continue;
    for (const variable of templateVariables(text, field, (inner, message) => problems.push({ file, ...source.locateInText([field], inner), message }))) {
      used.add(variable.name);
      if (!declared.has(variable.name)) {
        const known = prompt.inputs.length === 0 ? "no inputs are declared" : `declared: ${prompt.inputs.map((i) => i.name).join(", ")}`;
        problems.push({
          file,
          ...source.locateInText([field], variable),
          message: `\`${field}\` uses \`${variable.name}\`, which is not a declared input (${known})`,
        });
      }
    }
  }
  prompt.inputs.forEach((input, index) => {
    if (!used.has(input.name)) report(["inputs", index, "name"], `input \`${input.name}\` is declared but neither \`system\` nor \`template\` uses it`);
  });

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

/** Variables a template reads; syntax errors and unsupported constructs go to `problem`. */
function templateVariables(
  text: string,
  field: string,
  problem: (at: { line: number; column: number }, message: string) => void,
): TemplateVariable[] {
  let program: hbs.AST.Program;
  try {
    program = parseTemplate(text);
  } catch (error) {
    const at = lastSyntaxErrorPosition() ?? { line: 1, column: 1 };
    problem(at, `\`${field}\` is not a valid Handlebars template: ${describeSyntaxError(error)}`);
    return [];
  }
  const references = findTemplateReferences(program);
  for (const found of references.problems) problem(found, `\`${field}\`: ${found.message}`);
  return references.variables;
}

/** Handlebars' parser messages, minus the echoed source excerpt. */
function describeSyntaxError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n");
  const expecting = lines.find((line) => line.startsWith("Expecting "));
  if (expecting === undefined) return (lines[0] ?? message).replace(/ - \d+:\d+$/, "");
  if (/got 'EOF'/.test(expecting)) return "the template ends inside an unclosed `{{#block}}` or `{{`";
  return expecting.replace(/^Expecting /, "expected ").replace(/'/g, "");
}
