import type { PromptProblem } from "./prompt-problem";
import { lastSyntaxErrorPosition, parseTemplate } from "./template-engine";
import { findTemplateReferences, type TemplateVariable } from "./template-references";
import type { YamlSource } from "./yaml-source";

/** The fields rendered through Handlebars. */
export const templateFields = ["system", "template"] as const;

export interface TemplateLint {
  problems: PromptProblem[];
  /** Every input name a template reads. */
  used: Set<string>;
  /** False when a template did not parse (what it uses is then unknown). */
  complete: boolean;
}

/**
 * Parses `system` and `template`, and reports syntax errors, unsupported constructs and every
 * variable no input declares — at the variable's own line and column in the YAML file.
 */
export function lintTemplates(
  fields: Partial<Record<(typeof templateFields)[number], unknown>>,
  declared: readonly string[],
  where: { source: YamlSource; file: string },
): TemplateLint {
  const result: TemplateLint = { problems: [], used: new Set(), complete: true };
  const known = declared.length === 0 ? "no inputs are declared" : `declared: ${declared.join(", ")}`;
  for (const field of templateFields) {
    const text = fields[field];
    if (typeof text !== "string") continue;
    const at = (inner: { line: number; column: number }) => ({ file: where.file, ...where.source.locateInText([field], inner) });
    const variables = templateVariables(text, field, (inner, message) => result.problems.push({ ...at(inner), message }));
    if (variables === undefined) {
      result.complete = false;
      continue;
    }
    for (const variable of variables) {
      result.used.add(variable.name);
      if (!declared.includes(variable.name)) {
        result.problems.push({ ...at(variable), message: `\`${field}\` uses \`${variable.name}\`, which is not a declared input (${known})` });
      }
    }
  }
  return result;
}

/** Variables a template reads, or undefined when it does not parse. */
function templateVariables(
  text: string,
  field: string,
  problem: (at: { line: number; column: number }, message: string) => void,
): TemplateVariable[] | undefined {
  let program: hbs.AST.Program;
  try {
    program = parseTemplate(text);
  } catch (error) {
    const unclosed = /got 'EOF'/.test(String(error)) ? unclosedBlock(text) : undefined;
    if (unclosed !== undefined) {
      problem(unclosed, `\`${field}\`: \`{{#${unclosed.name}}}\` is never closed (no \`{{/${unclosed.name}}}\`)`);
    } else {
      problem(lastSyntaxErrorPosition() ?? { line: 1, column: 1 }, `\`${field}\` is not a valid Handlebars template: ${describeSyntaxError(error)}`);
    }
    return undefined;
  }
  const references = findTemplateReferences(program);
  for (const found of references.problems) problem(found, `\`${field}\`: ${found.message}`);
  return references.variables;
}

/** The innermost block opened and never closed, found by pairing `{{#name` with `{{/name`. */
function unclosedBlock(text: string): { name: string; line: number; column: number } | undefined {
  const open: { name: string; offset: number }[] = [];
  for (const match of text.matchAll(/\{\{~?\s*([#/])\s*([\w-]+)/g)) {
    const name = match[2] ?? "";
    if (match[1] === "#") open.push({ name, offset: match.index });
    else if (open.at(-1)?.name === name) open.pop();
  }
  const last = open.at(-1);
  if (last === undefined) return undefined;
  const before = text.slice(0, last.offset).split("\n");
  return { name: last.name, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
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
