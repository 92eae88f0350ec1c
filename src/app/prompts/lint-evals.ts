import { checkInputGuards } from "./guards/input-guards";
import { jsonSchemaError } from "./guards/json-schema";
import { resolvePromptVars } from "./prompt-inputs";
import type { PromptProblem } from "./prompt-problem";
import type { EvalCase, PromptDefinition } from "./prompt-schema";
import { renderWithContext } from "./render-prompt";
import type { YamlSource } from "./yaml-source";

/** Checks each eval case: names, vars against inputs, fixtures, assertion values, input guards. */
export function lintEvals(prompt: PromptDefinition, source: YamlSource, file: string): PromptProblem[] {
  const problems: PromptProblem[] = [];
  const report = (path: PropertyKey[], message: string, target: "value" | "key" = "value"): void => {
    problems.push({ file, ...source.locate(path, target), message });
  };
  const seen = new Map<string, number>();
  prompt.evals.forEach((evalCase, index) => {
    const at = ["evals", index];
    const first = seen.get(evalCase.name);
    if (first !== undefined) report([...at, "name"], `eval case \`${evalCase.name}\` is defined twice (also case ${first + 1})`);
    else seen.set(evalCase.name, index);
    const name = `eval case \`${evalCase.name}\``;

    const resolved = resolvePromptVars(prompt, evalCase.vars);
    for (const unknown of resolved.unknown) report([...at, "vars", unknown], `${name} sets \`${unknown}\`, which is not a declared input`, "key");
    if (resolved.missing.length > 0) {
      report([...at, "vars"], `${name} lacks required input ${resolved.missing.map((m) => `\`${m}\``).join(", ")}`, "key");
    }
    for (const invalid of resolved.invalid) report([...at, "vars", invalid.name], `${name}: ${invalid.message}`);

    lintFixture(evalCase, (path, message) => report([...at, "fixture", ...path], `${name}: ${message}`, "key"));
    evalCase.assert.forEach((assertion, position) => {
      const where = [...at, "assert", position];
      if (assertion.type === "regex" || assertion.type === "not-regex") {
        const error = regexError(assertion.value, assertion.flags);
        if (error !== undefined) report([...where, "value"], `${name}: invalid regular expression: ${error}`);
      } else if (assertion.type === "json-schema") {
        const error = jsonSchemaError(assertion.value);
        if (error !== undefined) report([...where, "value"], `${name}: the JSON schema cannot be used: ${error}`);
      } else if (assertion.type === "diff-applies" && evalCase.fixture === undefined) {
        report([...where, "type"], `${name}: \`diff-applies\` needs a \`fixture\` (files or dir) to apply the diff to`);
      }
    });

    // A case whose own input breaks the guards can never pass; say so now, not after a paid call.
    if (resolved.missing.length === 0 && resolved.unknown.length === 0 && resolved.invalid.length === 0) {
      try {
        for (const violation of checkInputGuards(prompt.guards, renderWithContext(prompt, resolved.context))) {
          report([...at, "name"], `${name}: ${violation.message} (guard ${violation.guard})`);
        }
      } catch {
        // Template errors are reported once, at the template itself.
      }
    }
  });
  return problems;
}

function lintFixture(evalCase: EvalCase, report: (path: PropertyKey[], message: string) => void): void {
  const fixture = evalCase.fixture;
  if (fixture === undefined) return;
  if (fixture.files === undefined && fixture.dir === undefined) report([], "a fixture needs `files` (path: content) or `dir`");
  for (const path of Object.keys(fixture.files ?? {})) {
    if (path === "" || path.startsWith("/") || path.split(/[\\/]/).includes("..")) {
      report(["files", path], `fixture path ${JSON.stringify(path)} must be relative and stay inside the fixture`);
    }
  }
}

function regexError(pattern: string, flags = ""): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
