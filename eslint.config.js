// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const nodeBuiltins = ["fs", "child_process", "net", "http", "https", "os", "worker_threads", "path", "crypto", "stream", "process"];
const vendorPackages = ["openai", "@anthropic-ai/sdk", "@google/genai", "better-sqlite3", "kysely", "fastify", "pino", "execa", "archiver", "prom-client"];

/** The direction of imports (STYLE.md §1) is a lint rule, not a memory exercise. */
const layerRule = (/** @type {string[]} */ forbiddenLayers, /** @type {string[]} */ forbiddenPackages = []) => ({
  "no-restricted-imports": [
    "error",
    {
      paths: forbiddenPackages.map((name) => ({ name, message: "src/core is pure: no I/O and no vendor packages." })),
      patterns: [
        {
          regex: `^(\\.\\./)+(${forbiddenLayers.join("|")})(/|$)`,
          message: "This import crosses the hexagon the wrong way (see DESIGN.md §2).",
        },
        ...(forbiddenPackages.length > 0
          ? [{ regex: "^node:", message: "src/core is pure: no Node built-ins." }]
          : []),
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "bench/.work/**", ".tmp/**", "examples/**/node_modules/**", "test/fixtures/**/repo/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "off",
    },
  },
  { files: ["src/core/**/*.ts"], rules: layerRule(["adapters", "app", "cli", "server"], [...nodeBuiltins, ...vendorPackages]) },
  { files: ["src/adapters/**/*.ts"], rules: layerRule(["app", "cli", "server"]) },
  { files: ["src/app/**/*.ts"], rules: layerRule(["cli", "server"]) },
  { files: ["src/cli/**/*.ts", "src/server/**/*.ts"], rules: layerRule(["adapters"]) },
);
