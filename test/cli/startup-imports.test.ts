import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";

/**
 * What each command loads before it does anything: the packages reached through static imports
 * from the built entry and from a command's action chunk (dist/ is built by the global setup).
 * Dynamic `import()` and lazy `require` stay out of the walk: they load only when a command calls
 * them. A static import of a heavy package on these paths puts it back on every start.
 */
const dist = join(import.meta.dirname, "..", "..", "dist");
const staticImport = /^import\s+(?:[\s\S]*?\s+from\s+)?"([^"]+)";$/gm;

/** Bare package names (`@scope/name`, `name`) reached from `chunk` through static imports only. */
function staticPackages(chunk: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, specifier = ""] of readFileSync(join(dist, file), "utf8").matchAll(staticImport)) {
      if (specifier.startsWith("./")) visit(specifier.slice(2));
      else if (!isBuiltin(specifier)) packages.add(specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/"));
    }
  };
  visit(chunk);
  return packages;
}

function actionChunk(name: string): string {
  const file = readdirSync(dist).find((entry) => entry.startsWith(`${name}-`) && entry.endsWith(".js"));
  if (file === undefined) throw new Error(`no ${name} chunk in dist/`);
  return file;
}

/** Loaded only by commands that call a provider, serve, log, render or snapshot. */
const heavy = [
  "openai",
  "@anthropic-ai/sdk",
  "@google/genai",
  "pino",
  "pino-pretty",
  "handlebars",
  "gpt-tokenizer",
  "better-sqlite3",
  "fastify",
  "prom-client",
  "@opentelemetry/sdk-node",
  "@secretlint/core",
  "archiver",
  "execa",
  "@inquirer/prompts",
  "ora",
];

describe("CLI start-up imports", () => {
  it("loads only commander for --help and --version", () => {
    expect([...staticPackages("cli.js")]).toEqual(["commander"]);
  });

  it("keeps provider SDKs, the logger, templates, tokenizers and the database off config show", () => {
    const packages = staticPackages(actionChunk("config-show-action"));
    expect(heavy.filter((name) => packages.has(name))).toEqual([]);
  });

  it("keeps everything but the patch engine off patch apply", () => {
    const packages = staticPackages(actionChunk("patch-apply-action"));
    expect(heavy.filter((name) => packages.has(name))).toEqual([]);
    expect(packages.has("yaml")).toBe(false);
  });

  it("reaches the database but no provider SDK from jobs list", () => {
    const packages = staticPackages(actionChunk("jobs-actions"));
    expect(["openai", "@anthropic-ai/sdk", "@google/genai", "handlebars", "gpt-tokenizer", "pino"].filter((name) => packages.has(name))).toEqual([]);
  });
});
