/**
 * The prompt registry's per-call costs next to same-run baselines: loading (schema + lint) against
 * bare YAML parsing, preparing a refactor-small call on a large snapshot against tokenizing it
 * alone, and reading a large diff against `diff`'s parsePatch.
 */
import { readFileSync } from "node:fs";
import { parsePatch } from "diff";
import { parse } from "yaml";
import type { BenchSuite } from "../run";
import { estimateTokens } from "../../src/app/prompts/guards/count-tokens";
import { inspectDiff } from "../../src/app/prompts/guards/inspect-diff";
import { loadPromptRegistry } from "../../src/app/prompts/load-prompt-registry";
import { preparePromptCall } from "../../src/app/prompts/prompt-call";
import { builtInPromptsDir } from "../../src/app/prompts/prompt-directories";
import { listPromptFiles } from "../../src/app/prompts/scan-prompt-directory";

function time(label: string, iterations: number, run: () => unknown): number {
  run();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) run();
  const perOp = (performance.now() - started) / iterations;
  console.log(`${label.padEnd(52)} ${perOp.toFixed(2).padStart(9)} ms/op`);
  return perOp;
}

const suite: BenchSuite = {
  title: "registry load, call preparation and diff reading vs. YAML parse, tokenizer and parsePatch",
  async run() {
    const dir = builtInPromptsDir();
    const files = listPromptFiles(dir);
    const yamlOnly = time("baseline: read + YAML-parse the built-ins", 50, () => files.map((f) => parse(readFileSync(f, "utf8"))));
    const load = time("load registry (schema, template lint, eval lint)", 50, () => loadPromptRegistry([{ source: "built-in", dir }]));
    console.log(`  registry load / YAML parse: ${(load / yamlOnly).toFixed(1)}x`);

    const registry = loadPromptRegistry([{ source: "built-in", dir }]);
    const { prompt } = registry.get("refactor-small");
    // Distinct identifiers on every line, so the tokenizer's merge cache cannot flatter the figures.
    const file = (m: number) =>
      Array.from({ length: 40 }, (_, j) => `export function handle${m}x${j}(input${j}: string): string {\n  return input${j}.trim().slice(${m}, ${j * 7}).toUpperCase();\n}\n`).join("");
    const context = Array.from({ length: 120 }, (_, i) => `//\x1C/ src/module-${i}.ts /\x1C//\n${file(i)}`).join("\n");
    console.log(`  snapshot: ${(context.length / 1e6).toFixed(2)} MB, ${context.split("\n").length} lines`);
    const tokenize = time("baseline: tokenize the snapshot alone", 5, () => estimateTokens(context));
    const prepare = time("prepare refactor-small (render + input guards)", 5, () =>
      preparePromptCall({ ...prompt, guards: { ...prompt.guards, max_lines: undefined, max_tokens: undefined } }, { instruction: "rename handler", context }),
    );
    console.log(`  prepare / tokenize: ${(prepare / tokenize).toFixed(2)}x`);

    const hunk = (i: number) => `@@ -${i * 10 + 1},3 +${i * 10 + 1},3 @@\n const a${i} = 1;\n-const b${i} = 2;\n+const b${i} = 3;\n const c${i} = 4;\n`;
    const diff = Array.from({ length: 50 }, (_, f) => `--- a/src/f${f}.ts\n+++ b/src/f${f}.ts\n${Array.from({ length: 40 }, (_, i) => hunk(i)).join("")}`).join("");
    const answer = `\`\`\`diff\n${diff}\`\`\``;
    console.log(`  diff: ${diff.split("\n").length} lines, 50 files, 2000 hunks`);
    const patch = time("baseline: diff.parsePatch", 20, () => parsePatch(diff));
    const inspect = time("inspectDiff (fence, headers, hunks, placeholders)", 20, () => inspectDiff(answer));
    console.log(`  inspectDiff / parsePatch: ${(inspect / patch).toFixed(2)}x`);
  },
};

export default suite;
