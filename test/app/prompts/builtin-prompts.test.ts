import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEvals } from "../../../src/app/prompts/evals/run-evals";
import { loadPromptRegistry } from "../../../src/app/prompts/load-prompt-registry";
import { parsePromptText } from "../../../src/app/prompts/parse-prompt-text";
import { builtInPromptsDir } from "../../../src/app/prompts/prompt-directories";
import { renderPrompt } from "../../../src/app/prompts/render-prompt";
import type { GenInput, GenResult } from "../../../src/core/ports/provider-port";
import { builtinAnswers } from "../../fixtures/builtin-answers";

const registry = loadPromptRegistry([{ source: "built-in", dir: builtInPromptsDir() }]);
const goldenDir = join(import.meta.dirname, "..", "..", "golden", "prompts");

/** Answers each case from the table; the rendered user message identifies the case. */
function cannedGenerate(kind: "good" | "bad") {
  const byUser = new Map<string, string>();
  for (const { prompt } of registry.entries) {
    for (const evalCase of prompt.evals) {
      const answer = builtinAnswers[`${prompt.id}/${evalCase.name}`];
      if (answer !== undefined) byUser.set(renderPrompt(prompt, evalCase.vars).user, answer[kind]);
    }
  }
  return async (input: GenInput): Promise<GenResult> => {
    const text = byUser.get(input.user);
    if (text === undefined) throw new Error("no canned answer for this request");
    return { text, provider: "openai", model: "canned" };
  };
}

describe("built-in prompts", () => {
  it("ships the five prompts of the registry, each with at least two eval cases", () => {
    expect(registry.entries.map((e) => [e.prompt.id, e.prompt.purpose])).toEqual([
      ["craft-prompt", "craft"],
      ["custom", "custom"],
      ["evolve-repair", "refactor"],
      ["refactor-small", "refactor"],
      ["summarize", "summarize"],
    ]);
    for (const { prompt } of registry.entries) expect(prompt.evals.length, prompt.id).toBeGreaterThanOrEqual(2);
  });

  it("has a hand-written good and bad answer for every eval case", () => {
    const cases = registry.entries.flatMap(({ prompt }) => prompt.evals.map((c) => `${prompt.id}/${c.name}`));
    expect(Object.keys(builtinAnswers).sort()).toEqual(cases.sort());
  });

  it.each(registry.entries.map((e) => e.prompt.id))("renders %s exactly as its golden file (first eval case)", (id) => {
    const { prompt } = registry.get(id);
    const rendered = renderPrompt(prompt, prompt.evals[0]?.vars ?? {});
    const text = `--- system ---\n${rendered.system ?? ""}--- user ---\n${rendered.user}`;
    const golden = join(goldenDir, `${id}.txt`);
    // UPDATE_GOLDEN=1 rewrites the files after an intended prompt change; review the diff.
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} is missing; run with UPDATE_GOLDEN=1 to create it`).toBe(true);
    expect(text).toBe(readFileSync(golden, "utf8"));
  });

  it("passes every eval case with the good answers", async () => {
    const report = await runEvals({ prompts: registry.entries.map((e) => ({ prompt: e.prompt, file: e.file })), generate: cannedGenerate("good") });
    expect(report.results.filter((r) => !r.pass).map((r) => `${r.promptId}/${r.caseName}: ${r.reason}`)).toEqual([]);
    expect(report.passed).toBe(Object.keys(builtinAnswers).length);
  });

  it("fails every eval case with the bad answers", async () => {
    const report = await runEvals({ prompts: registry.entries.map((e) => ({ prompt: e.prompt, file: e.file })), generate: cannedGenerate("bad") });
    expect(report.results.filter((r) => r.pass).map((r) => `${r.promptId}/${r.caseName}`)).toEqual([]);
    expect(report.failed).toBe(Object.keys(builtinAnswers).length);
  });

  it("holds the diff prompts' good answers to their output guards too", async () => {
    const report = await runEvals({ prompts: ["refactor-small", "evolve-repair"].map((id) => ({ prompt: registry.get(id).prompt })), generate: cannedGenerate("good") });
    const withDiffs = report.results.filter((r) => r.caseName !== "refuses-without-the-file");
    expect(withDiffs.flatMap((r) => r.guardViolations)).toEqual([]);
  });
});

describe("README's prompt example", () => {
  it("is a valid prompt file", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "..", "..", "README.md"), "utf8");
    const example = /```yaml\n(# \.grompt\/prompts\/review-pr\.yml\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(parsePromptText(example ?? "", "README.md").problems).toEqual([]);
  });
});
