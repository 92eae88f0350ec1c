import type { PromptGuards, PromptOutput } from "../prompt-schema";
import { extractJson } from "./extract-json";
import type { GuardViolation } from "./guard-violation";
import { type DiffInspection, inspectDiff } from "./inspect-diff";
import { compileJsonSchema } from "./json-schema";

export interface OutputCheck {
  violations: GuardViolation[];
  /** The diff as read from the answer (format diff). */
  diff?: DiffInspection;
  /** The parsed answer (format json, when it parses). */
  json?: unknown;
}

/**
 * Checks an answer against the prompt's contract: `must_include`, `must_not_include`, and the
 * output format — a structurally sound unified diff, or JSON matching the optional schema.
 */
export function checkOutputGuards(guards: PromptGuards, output: PromptOutput, answer: string): OutputCheck {
  const violations: GuardViolation[] = [];
  for (const text of guards.must_include) {
    if (!answer.includes(text)) {
      violations.push({ guard: "must_include", side: "output", message: `the answer does not contain ${JSON.stringify(text)}`, limit: text });
    }
  }
  for (const text of guards.must_not_include) {
    if (answer.includes(text)) {
      violations.push({ guard: "must_not_include", side: "output", message: `the answer contains ${JSON.stringify(text)}`, limit: text });
    }
  }
  const check: OutputCheck = { violations };
  if (output.format === "diff") {
    check.diff = inspectDiff(answer);
    if (!check.diff.found) {
      violations.push({ guard: "output_format", side: "output", message: "the answer holds no unified diff (`--- path` / `+++ path` / `@@` hunks)" });
    } else if (check.diff.problems.length > 0) {
      const problems = check.diff.problems.map((p) => `line ${p.line}: ${p.message}`);
      violations.push({ guard: "output_format", side: "output", message: `the diff is malformed: ${problems[0] ?? ""}`, problems });
    }
  } else if (output.format === "json") {
    const parsed = extractJson(answer);
    if (!parsed.ok) {
      violations.push({ guard: "output_format", side: "output", message: parsed.error });
    } else {
      check.json = parsed.value;
      const problems = output.schema === undefined ? [] : compileJsonSchema(output.schema).validate(parsed.value);
      if (problems.length > 0) {
        violations.push({ guard: "output_schema", side: "output", message: `the JSON does not match the schema: ${problems[0] ?? ""}`, problems });
      }
    }
  }
  return check;
}
