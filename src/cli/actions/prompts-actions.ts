import type { Command } from "commander";
import type { RegistryEntry } from "../../app/prompts/load-prompt-registry";
import { createContainer } from "../../app/container";
import { displayPath, formatColumns } from "../display-path";
import { globalOptions } from "../global-options";

/** `grompt prompts list | show`. */
export const promptsActions = {
  async list(options: { json?: boolean }, command: Command): Promise<void> {
    const { cwd, verbose } = globalOptions(command);
    const container = createContainer({ cwd, env: process.env, verbose });
    try {
      const entries = container.prompts().entries;
      if (options.json === true) {
        process.stdout.write(`${JSON.stringify(entries.map(summary), null, 2)}\n`);
        return;
      }
      const rows = entries.map((entry) => [
        entry.prompt.id,
        entry.prompt.version,
        entry.prompt.purpose,
        `${entry.source}: ${displayPath(entry.file, cwd)}`,
        entry.shadows.map((s) => `${s.source} ${s.version} (${displayPath(s.file, cwd)})`).join(", ") || "-",
      ]);
      process.stdout.write(`${formatColumns([["ID", "VERSION", "PURPOSE", "SOURCE", "SHADOWS"], ...rows])}\n`);
    } finally {
      await container.close();
    }
  },

  async show(id: string, options: { json?: boolean }, command: Command): Promise<void> {
    const { cwd, verbose } = globalOptions(command);
    const container = createContainer({ cwd, env: process.env, verbose });
    try {
      const entry = container.prompts().get(id);
      process.stdout.write(options.json === true ? `${JSON.stringify({ ...summary(entry), definition: entry.prompt }, null, 2)}\n` : describe(entry, cwd));
    } finally {
      await container.close();
    }
  },
};

const summary = (entry: RegistryEntry) => ({
  id: entry.prompt.id,
  version: entry.prompt.version,
  purpose: entry.prompt.purpose,
  description: entry.prompt.description,
  source: entry.source,
  file: entry.file,
  shadows: entry.shadows,
});

function describe(entry: RegistryEntry, cwd: string): string {
  const { prompt } = entry;
  const guards = prompt.guards;
  const guardText = [
    guards.max_lines === undefined ? undefined : `max_lines ${guards.max_lines}`,
    guards.max_tokens === undefined ? undefined : `max_tokens ${guards.max_tokens}`,
    ...guards.must_include.map((t) => `must_include ${JSON.stringify(t)}`),
    ...guards.must_not_include.map((t) => `must_not_include ${JSON.stringify(t)}`),
  ].filter((t) => t !== undefined);
  const inputs = prompt.inputs.map((input) => [
    `  ${input.name}`,
    input.type,
    input.required ? "required" : input.default === undefined ? "optional" : `default ${JSON.stringify(input.default)}`,
    `${input.description ?? ""}${input.values === undefined ? "" : ` (${input.values.join(" | ")})`}`,
  ]);
  const lines = [
    `${prompt.id} ${prompt.version} (${prompt.purpose})`,
    `file:    ${displayPath(entry.file, cwd)} (${entry.source})`,
    ...entry.shadows.map((s) => `shadows: ${displayPath(s.file, cwd)} (${s.source} ${s.version})`),
    "",
    prompt.description,
    "",
    "inputs:",
    inputs.length === 0 ? "  (none)" : formatColumns(inputs),
    `guards:  ${guardText.join(", ") || "(none)"}`,
    `output:  ${prompt.output.format}${prompt.output.schema === undefined ? "" : " with a JSON schema"}`,
    ...(prompt.options === undefined ? [] : [`options: ${Object.entries(prompt.options).map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(", ")}`]),
    `evals:   ${prompt.evals.map((c) => c.name).join(", ") || "(none)"}`,
  ];
  if (prompt.system !== undefined) lines.push("", "--- system ---", prompt.system.trimEnd());
  lines.push("", "--- template ---", prompt.template.trimEnd(), "");
  return lines.join("\n");
}
