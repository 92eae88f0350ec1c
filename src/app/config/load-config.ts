import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type * as Yaml from "yaml";
import type { z } from "zod";
import { GromptError } from "../../core/domain/errors";
import { type ConfigLayer, type GromptConfig, configSchema } from "./config-schema";
import { envLayer } from "./env-layer";
import { lazyRequire } from "../lazy-require";

// Loaded only when there is a config file to read.
const yaml = lazyRequire<typeof Yaml>("yaml");

export interface ConfigSources {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Values from command-line flags, the top layer. */
  flags?: ConfigLayer;
}

export interface LoadedConfig {
  config: GromptConfig;
  /** `$GROMPT_HOME`, default `~/.grompt`. */
  home: string;
  /** Config files that were found and read, lowest layer first. */
  files: string[];
  /** The directory holding `.grompt/` for this working directory, when there is one. */
  projectRoot?: string;
}

export const userConfigPath = (env: NodeJS.ProcessEnv): string =>
  join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "grompt", "config.yaml");

export const gromptHome = (env: NodeJS.ProcessEnv): string => resolve(env.GROMPT_HOME || join(homedir(), ".grompt"));

/** Loads every layer, validates each on its own (so errors name their source), then merges. */
export function loadConfig(sources: ConfigSources): LoadedConfig {
  const files: string[] = [];
  const layers: ConfigLayer[] = [];

  const userFile = userConfigPath(sources.env);
  const projectRoot = findProjectRoot(sources.cwd);
  const projectFile = projectRoot === undefined ? undefined : join(projectRoot, ".grompt", "config.yaml");
  for (const file of [userFile, projectFile]) {
    if (file === undefined || !existsSync(file)) continue;
    layers.push(readConfigFile(file));
    files.push(file);
  }

  const env = envLayer(sources.env);
  validateLayer(env.layer, (path) => `environment variable ${env.sourceOf(path) ?? path.join(".")}`);
  layers.push(env.layer);

  if (sources.flags !== undefined) {
    validateLayer(sources.flags, (path) => `command-line flag for ${path.join(".")}`);
    layers.push(sources.flags);
  }

  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer), {});
  const config = validateLayer(merged, (path) => `configuration key ${path.join(".")}`);
  return { config, home: gromptHome(sources.env), files, projectRoot };
}

/** Reads one YAML file; syntax and schema errors name the file, the line and the key. */
export function readConfigFile(file: string): ConfigLayer {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new GromptError("config_invalid", `Cannot read ${file}: ${(error as Error).message}`, {
      hint: "Check the file's permissions, or remove it to use the defaults.",
      cause: error,
    });
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = document.errors[0];
  if (syntaxError !== undefined) {
    const { line, col } = lineCounter.linePos(syntaxError.pos[0]);
    throw new GromptError("config_invalid", `${file}:${line}:${col}: ${syntaxError.message.split("\n")[0]}`, {
      hint: "Fix the YAML syntax at that position.",
    });
  }
  const value: unknown = document.toJS() ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new GromptError("config_invalid", `${file}: the top level must be a mapping of keys`, {
      hint: "Write keys such as `providers:` or `checks:` at the top level (see README, Configuration).",
    });
  }
  validateLayer(value as ConfigLayer, (path) => {
    const node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const at = node?.range === undefined ? "" : `:${lineCounter.linePos(node.range[0]).line}`;
    return `${file}${at}: key ${path.join(".")}`;
  });
  return value as ConfigLayer;
}

function validateLayer(layer: unknown, describe: (path: PropertyKey[]) => string): GromptConfig {
  const parsed = configSchema.safeParse(layer);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
  const what = issue.code === "unrecognized_keys" ? "is not a known setting" : issue.message;
  throw new GromptError("config_invalid", `${describe(path)}: ${what}`, {
    hint: allowedHint(issue),
    details: { path: path.map(String) },
  });
}

function allowedHint(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_value") return `Allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}.`;
  if (issue.code === "too_small") return `Use a value of at least ${String(issue.minimum)}.`;
  if (issue.code === "too_big") return `Use a value of at most ${String(issue.maximum)}.`;
  if (issue.code === "invalid_type") return `Expected ${issue.expected}.`;
  if (issue.code === "unrecognized_keys") return "Remove it, or check its spelling against README's Configuration section.";
  return "See README's Configuration section for the allowed values.";
}

/** Walks up from `cwd` to the first directory holding `.grompt/` or `.git`. */
function findProjectRoot(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, ".grompt")) || existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Objects merge key by key; arrays and scalars from the higher layer replace. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
