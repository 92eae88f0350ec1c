import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GromptError } from "../../core/domain/errors";
import { userConfigPath } from "../config/load-config";

/** Where a prompt came from, lowest precedence first. */
export type PromptSource = "built-in" | "user" | "project";

export interface PromptDirectory {
  source: PromptSource;
  dir: string;
}

/**
 * The `prompts/` directory shipped with the package, found by walking up from this module to
 * grompt's package.json — the same from the bundled `dist/cli.js` and from `src/` under tests.
 */
export function builtInPromptsDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && packageName(manifest) === "grompt") return join(dir, "prompts");
    const parent = dirname(dir);
    if (parent === dir) throw new GromptError("internal", `grompt's package.json was not found above ${from}; the installation is incomplete`);
    dir = parent;
  }
}

function packageName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The user's prompts directory: `$XDG_CONFIG_HOME/grompt/prompts` or `~/.config/grompt/prompts`. */
export const userPromptsDir = (env: NodeJS.ProcessEnv): string => join(dirname(userConfigPath(env)), "prompts");

/** The repository's prompts directory, `<root>/.grompt/prompts`. */
export const projectPromptsDir = (projectRoot: string): string => join(projectRoot, ".grompt", "prompts");

/** Every directory prompts are loaded from, lowest precedence first: built-in < user < project. */
export function promptDirectories(where: { projectRoot: string; env: NodeJS.ProcessEnv; builtInDir?: string }): PromptDirectory[] {
  return [
    { source: "built-in", dir: where.builtInDir ?? builtInPromptsDir() },
    { source: "user", dir: userPromptsDir(where.env) },
    { source: "project", dir: projectPromptsDir(where.projectRoot) },
  ];
}
