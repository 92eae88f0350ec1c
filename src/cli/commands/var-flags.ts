import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { GromptError } from "../../core/domain/errors";
import type { PromptDefinition, VarValue } from "../../app/prompts/prompt-schema";

export interface VarFlags {
  var?: string[];
  varFile?: string[];
}

/** commander collector for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `--var name=value` and `--var-file name=path` (`-` reads stdin) as template values. Repeating a
 * list input appends to it; repeating any other input is an error rather than a silent override.
 */
export function varsFromFlags(flags: VarFlags, prompt: PromptDefinition, cwd: string): Record<string, VarValue> {
  const vars: Record<string, VarValue> = {};
  const lists = new Set(prompt.inputs.filter((input) => input.type === "list").map((input) => input.name));
  const set = (flag: string, name: string, value: string): void => {
    const current = vars[name];
    if (current === undefined) vars[name] = lists.has(name) ? [value] : value;
    else if (Array.isArray(current)) current.push(value);
    else throw new GromptError("usage", `${flag} ${name} is given twice, and input \`${name}\` takes one value`, { hint: "Give it once." });
  };
  for (const raw of flags.var ?? []) {
    const [name, value] = split("--var", raw);
    set("--var", name, value);
  }
  for (const raw of flags.varFile ?? []) {
    const [name, path] = split("--var-file", raw);
    set("--var-file", name, readVarFile(name, path, cwd));
  }
  return vars;
}

function split(flag: string, raw: string): [string, string] {
  const at = raw.indexOf("=");
  if (at <= 0) {
    throw new GromptError("usage", `${flag} ${JSON.stringify(raw)} is not name=${flag === "--var" ? "value" : "path"}`, {
      hint: `Write ${flag} ${flag === "--var" ? "instruction='add a test'" : "context=snapshot.latx"}.`,
    });
  }
  return [raw.slice(0, at), raw.slice(at + 1)];
}

function readVarFile(name: string, path: string, cwd: string): string {
  try {
    // File descriptor 0 is stdin: `--var-file context=-` reads a pipe.
    return path === "-" ? readFileSync(0, "utf8") : readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new GromptError("invalid_input", `--var-file ${name}=${path}: cannot read it (${reason})`, { hint: "Check the path; it is relative to --cwd." });
  }
}
