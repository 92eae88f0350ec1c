import { describe, expect, it } from "vitest";
import { countLines, estimateTokens } from "../../../src/app/prompts/guards/count-tokens";
import { extractJson } from "../../../src/app/prompts/guards/extract-json";
import { checkInputGuards, measureInput } from "../../../src/app/prompts/guards/input-guards";
import { checkOutputGuards } from "../../../src/app/prompts/guards/output-guards";
import { assertPromptAnswer, callPrompt, checkPromptAnswer, preparePromptCall, promptOptions } from "../../../src/app/prompts/prompt-call";
import type { GenInput, GenOptions, GenResult } from "../../../src/core/ports/provider-port";
import { definePrompt } from "../../support/prompt-fixtures";
import { caught } from "../../support/caught";

const noGuards = { must_include: [], must_not_include: [] };

describe("measuring input", () => {
  it("counts lines as an editor does and tokens with o200k, special tokens as text", () => {
    expect(countLines("")).toBe(0);
    expect(countLines("a\nb\n")).toBe(2);
    expect(countLines("a\nb")).toBe(2);
    expect(estimateTokens("hello world")).toBe(2);
    expect(estimateTokens("x <|endoftext|> y")).toBeGreaterThan(3);
    expect(measureInput({ system: "one\n", user: "two\nthree\n" })).toEqual({ lines: 3, tokens: estimateTokens("one\n") + estimateTokens("two\nthree\n") });
  });
});

describe("input guards", () => {
  const input: GenInput = { system: "rules\n", user: "line\n".repeat(10) };

  it("passes within the limits", () => {
    expect(checkInputGuards({ ...noGuards, max_lines: 11, max_tokens: 1000 }, input)).toEqual([]);
  });

  it("reports max_lines and max_tokens with the limit and the measure", () => {
    const tokens = measureInput(input).tokens;
    expect(checkInputGuards({ ...noGuards, max_lines: 10, max_tokens: 5 }, input)).toEqual([
      { guard: "max_lines", side: "input", message: "the rendered input has 11 lines, more than the 10 allowed", limit: 10, actual: 11 },
      { guard: "max_tokens", side: "input", message: `the rendered input has about ${tokens} tokens, more than the 5 allowed`, limit: 5, actual: tokens },
    ]);
  });
});

describe("output guards", () => {
  const text = { format: "text" as const };

  it("checks must_include and must_not_include", () => {
    const violations = checkOutputGuards({ must_include: ["## Role", "## Task"], must_not_include: ["As an AI"] }, text, "## Role\nAs an AI, ...").violations;
    expect(violations).toEqual([
      { guard: "must_include", side: "output", message: 'the answer does not contain "## Task"', limit: "## Task" },
      { guard: "must_not_include", side: "output", message: 'the answer contains "As an AI"', limit: "As an AI" },
    ]);
  });

  it("wants a well-formed unified diff for format diff, and returns what it read", () => {
    const good = checkOutputGuards(noGuards, { format: "diff" }, "```diff\n--- a/x\n+++ b/x\n@@ @@\n-1\n+2\n```");
    expect(good.violations).toEqual([]);
    expect(good.diff?.files[0]?.newPath).toBe("x");
    expect(checkOutputGuards(noGuards, { format: "diff" }, "Sorry, I can't.").violations).toEqual([
      { guard: "output_format", side: "output", message: "the answer holds no unified diff (`--- path` / `+++ path` / `@@` hunks)" },
    ]);
    const malformed = checkOutputGuards(noGuards, { format: "diff" }, "```diff\n--- a/x\n+++ b/x\n@@ @@\n+  // ... rest unchanged\n```").violations;
    expect(malformed).toEqual([
      {
        guard: "output_format",
        side: "output",
        message: 'the diff is malformed: line 5: elided code ("// ... rest unchanged"): write out every line instead of a placeholder',
        problems: ['line 5: elided code ("// ... rest unchanged"): write out every line instead of a placeholder'],
      },
    ]);
  });

  it("wants JSON (bare or in one fence) matching the schema for format json", () => {
    const output = { format: "json" as const, schema: { type: "object", required: ["title"], properties: { title: { type: "string" } } } };
    expect(checkOutputGuards(noGuards, output, '```json\n{"title":"x"}\n```')).toEqual({ violations: [], json: { title: "x" } });
    expect(checkOutputGuards(noGuards, output, "{nope").violations[0]).toMatchObject({ guard: "output_format", message: expect.stringMatching(/^the answer is not JSON: /) });
    expect(checkOutputGuards(noGuards, output, '{"title": 3}').violations).toEqual([
      {
        guard: "output_schema",
        side: "output",
        message: "the JSON does not match the schema: title: Invalid input: expected string, received number",
        problems: ["title: Invalid input: expected string, received number"],
      },
    ]);
  });

  it("extracts JSON only from an answer that is JSON or a single fence", () => {
    expect(extractJson(" [1, 2] ")).toEqual({ ok: true, value: [1, 2] });
    expect(extractJson("~~~json\n{}\n~~~")).toEqual({ ok: true, value: {} });
    expect(extractJson("Result: {}")).toMatchObject({ ok: false });
    expect(extractJson("")).toEqual({ ok: false, error: "the answer is empty" });
  });
});

describe("the prompt call API (render → input guards → generate → output guards)", () => {
  const prompt = definePrompt(`id: tiny-diff
version: "1.2.0"
purpose: refactor
description: d
template: "Change {{file}}"
inputs:
  - name: file
guards:
  max_tokens: 50
  must_not_include: ["<<<<<<< SEARCH"]
output:
  format: diff
options:
  temperature: 0.1
  max_tokens: 800
`);

  it("prepares a request with the prompt's options under the caller's", () => {
    const prepared = preparePromptCall(prompt, { file: "x.ts" }, { options: { temperature: 0 } });
    expect(prepared).toMatchObject({ promptId: "tiny-diff", promptVersion: "1.2.0", input: { user: "Change x.ts" }, options: { temperature: 0, maxTokens: 800 } });
    expect(prepared.measure.lines).toBe(1);
  });

  it("asks for JSON mode only when the flag is on and the prompt answers in JSON", () => {
    const json = definePrompt(`id: j\nversion: "1.0.0"\npurpose: custom\ndescription: d\ntemplate: t\noutput: { format: json }\n`);
    expect(promptOptions(json, { jsonMode: true })).toEqual({ jsonMode: true });
    expect(promptOptions(json, { jsonMode: false })).toEqual({});
    expect(promptOptions(prompt, { jsonMode: true }).jsonMode).toBeUndefined();
  });

  it("throws guard_violated (side input) before any call when the rendered input is too big", () => {
    const error = caught(() => preparePromptCall(prompt, { file: "word ".repeat(100) }));
    expect(error.code).toBe("guard_violated");
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^prompt tiny-diff: input guard max_tokens: the rendered input has about \d+ tokens, more than the 50 allowed$/);
    expect(error.details).toMatchObject({ promptId: "tiny-diff", guard: "max_tokens", side: "input", violations: [{ guard: "max_tokens", limit: 50 }] });
  });

  it("checks the answer without throwing, or throws guard_violated (side output) with every violation", () => {
    const answer = "<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE";
    expect(checkPromptAnswer(prompt, answer)).toMatchObject({ ok: false, violations: [{ guard: "must_not_include" }, { guard: "output_format" }] });
    const error = caught(() => assertPromptAnswer(prompt, answer));
    expect(error.message).toBe('prompt tiny-diff: output guard must_not_include: the answer contains "<<<<<<< SEARCH" (and 1 more: output_format)');
    expect(error.details).toMatchObject({ guard: "must_not_include", side: "output" });
    expect((error.details?.violations as unknown[]).length).toBe(2);
  });

  it("runs the round trip with any generate function", async () => {
    const seen: { input: GenInput; options?: GenOptions }[] = [];
    const generate = async (input: GenInput, options?: GenOptions): Promise<GenResult> => {
      seen.push({ input, options });
      return { text: "```diff\n--- a/x.ts\n+++ b/x.ts\n@@ @@\n-a\n+b\n```", provider: "openai", model: "m" };
    };
    const { result, check } = await callPrompt({ prompt, vars: { file: "x.ts" }, generate });
    expect(seen).toEqual([{ input: { user: "Change x.ts" }, options: { temperature: 0.1, maxTokens: 800 } }]);
    expect(result.model).toBe("m");
    expect(check.ok).toBe(true);
    expect(check.diff?.files.map((f) => f.newPath)).toEqual(["x.ts"]);
  });
});
