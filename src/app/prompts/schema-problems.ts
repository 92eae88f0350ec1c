import type { z } from "zod";
import type { PromptProblem } from "./prompt-problem";
import type { YamlSource } from "./yaml-source";

/** Turns zod's issues into one clear message per problem, each at the line it concerns. */
export function schemaProblems(issues: readonly z.core.$ZodIssue[], source: YamlSource, file: string): PromptProblem[] {
  return issues.map((issue) => {
    const { path, target, message } = describeIssue(issue, source.value);
    return { file, ...source.locate(path, target), message };
  });
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): { path: PropertyKey[]; target: "value" | "key"; message: string } {
  const path = [...issue.path];
  const where = path.length === 0 ? "the file" : `\`${path.map(String).join(".")}\``;
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0] ?? "";
      return { path: [...path, key], target: "key", message: `unknown key \`${key}\` in ${path.length === 0 ? "the top level" : where}` };
    }
    case "invalid_union":
      if (issue.discriminator === "type" && "options" in issue) {
        const given = valueAt(root, path);
        const allowed = (issue.options ?? []).map(String).join(", ");
        const what = given === undefined ? "missing assertion `type`" : `unknown assertion type ${JSON.stringify(given)}`;
        return { path, target: "value", message: `${what}; known types: ${allowed}` };
      }
      return { path, target: "value", message: `${where} ${issue.message}` };
    case "invalid_type":
      if (valueAt(root, path) === undefined) {
        return { path, target: "key", message: `missing required key ${where}` };
      }
      return { path, target: "value", message: `${where} ${issue.message.replace(/^Invalid input: /, "")}` };
    case "invalid_value":
      return {
        path,
        target: "value",
        message: `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { path, target: "value", message: `${where} ${issue.message}` };
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
