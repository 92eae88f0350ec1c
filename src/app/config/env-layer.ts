import type { ConfigLayer } from "./config-schema";

type Conversion = "string" | "number" | "boolean";

/** Environment variables understood by grompt, and the config key each one sets. */
const variables: readonly { name: string; path: string[]; as: Conversion }[] = [
  { name: "GROMPT_PROVIDER", path: ["defaults", "provider"], as: "string" },
  { name: "GROMPT_MODEL", path: ["defaults", "model"], as: "string" },
  { name: "OPENAI_API_KEY", path: ["providers", "openai", "apiKey"], as: "string" },
  { name: "OPENAI_BASE_URL", path: ["providers", "openai", "baseUrl"], as: "string" },
  { name: "ANTHROPIC_API_KEY", path: ["providers", "anthropic", "apiKey"], as: "string" },
  { name: "ANTHROPIC_BASE_URL", path: ["providers", "anthropic", "baseUrl"], as: "string" },
  // GEMINI_* wins over the Google SDK's own names when both are set.
  { name: "GOOGLE_API_KEY", path: ["providers", "gemini", "apiKey"], as: "string" },
  { name: "GEMINI_API_KEY", path: ["providers", "gemini", "apiKey"], as: "string" },
  { name: "GOOGLE_GEMINI_BASE_URL", path: ["providers", "gemini", "baseUrl"], as: "string" },
  { name: "GEMINI_BASE_URL", path: ["providers", "gemini", "baseUrl"], as: "string" },
  { name: "GROMPT_TIMEOUT_MS", path: ["request", "timeoutMs"], as: "number" },
  { name: "GROMPT_CHAOS_429", path: ["request", "chaos429"], as: "number" },
  { name: "GROMPT_CACHE", path: ["cache", "enabled"], as: "boolean" },
  { name: "GROMPT_DAILY_COST_USD", path: ["limits", "dailyCostUsd"], as: "number" },
  { name: "GROMPT_TOKEN", path: ["server", "token"], as: "string" },
  { name: "GROMPT_LOG_LEVEL", path: ["logging", "level"], as: "string" },
  { name: "GROMPT_LOG_PROMPTS", path: ["logging", "prompts"], as: "boolean" },
  { name: "FF_STREAM_PATCH", path: ["flags", "streamPatch"], as: "boolean" },
  { name: "FF_JSON_MODE", path: ["flags", "jsonMode"], as: "boolean" },
  { name: "FF_EVAL_LITE", path: ["flags", "evalLite"], as: "boolean" },
];

export const environmentVariables = variables.map((v) => v.name);

/** Builds the environment's config layer, remembering which variable set which key. */
export function envLayer(env: NodeJS.ProcessEnv): { layer: ConfigLayer; sourceOf: (path: PropertyKey[]) => string | undefined } {
  const layer: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const variable of variables) {
    const raw = env[variable.name];
    if (raw === undefined || raw === "") continue;
    setIn(layer, variable.path, convert(raw, variable.as));
    sources.set(variable.path.join("."), variable.name);
  }
  return { layer: layer as ConfigLayer, sourceOf: (path) => sources.get(path.map(String).join(".")) };
}

function convert(raw: string, as: Conversion): unknown {
  if (as === "string") return raw;
  if (as === "number") {
    const value = Number(raw);
    return Number.isFinite(value) ? value : raw;
  }
  const lowered = raw.toLowerCase();
  if (["1", "true", "yes", "on"].includes(lowered)) return true;
  if (["0", "false", "no", "off"].includes(lowered)) return false;
  return raw;
}

function setIn(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}
