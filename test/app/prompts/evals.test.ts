import { describe, expect, it } from "vitest";
import { evaluateAssertion } from "../../../src/app/prompts/evals/assertions";
import { patchEngineDiffApplies } from "../../../src/app/prompts/evals/diff-applies";
import type { FixtureTree } from "../../../src/app/prompts/evals/fixture-tree";
import { runEvals } from "../../../src/app/prompts/evals/run-evals";
import type { EvalAssertion } from "../../../src/app/prompts/prompt-schema";
import { GromptError } from "../../../src/core/domain/errors";
import type { GenInput, GenResult } from "../../../src/core/ports/provider-port";
import { definePrompt, useTempDir } from "../../support/prompt-fixtures";

const fixture: FixtureTree = { files: new Map([["src/a.ts", "export const a = 1;\n"]]) };
const diffOf = (old: string | null, next: string | null) =>
  `\`\`\`diff\n--- ${old === null ? "/dev/null" : `a/${old}`}\n+++ ${next === null ? "/dev/null" : `b/${next}`}\n@@ @@\n${old === null ? "" : "-export const a = 1;\n"}${next === null ? "" : "+export const a = 2;\n"}\`\`\``;

async function verdict(assertion: Partial<EvalAssertion> & { type: EvalAssertion["type"] }, output: string, completionTokens = 10) {
  const outcome = await evaluateAssertion({ weight: 1, ...assertion } as EvalAssertion, { output, completionTokens, fixture, diffApplies: patchEngineDiffApplies });
  return `${outcome.pass ? "pass" : "fail"}: ${outcome.reason}`;
}

describe("assertions", () => {
  it("contains / not-contains", async () => {
    expect(await verdict({ type: "contains", value: "needle" }, "hay needle hay")).toBe('pass: contains "needle"');
    expect(await verdict({ type: "contains", value: "needle" }, "hay")).toBe('fail: does not contain "needle"');
    expect(await verdict({ type: "not-contains", value: "TODO" }, "done")).toBe('pass: does not contain "TODO"');
    expect(await verdict({ type: "not-contains", value: "TODO" }, "// TODO")).toBe('fail: contains "TODO"');
  });

  it("regex / not-regex with flags", async () => {
    expect(await verdict({ type: "regex", value: "^## role", flags: "mi" }, "intro\n## Role\n")).toBe('pass: matches "## Role"');
    expect(await verdict({ type: "regex", value: "^## role" }, "## Role")).toBe("fail: does not match /^## role/");
    expect(await verdict({ type: "not-regex", value: "^Sure", flags: "i" }, "sure, here")).toBe('fail: matches "sure"');
    expect(await verdict({ type: "not-regex", value: "^Sure" }, "Role")).toBe("pass: does not match /^Sure/");
  });

  it("equals, ignoring surrounding whitespace", async () => {
    expect(await verdict({ type: "equals", value: "42" }, "42\n")).toBe("pass: equals the expected text");
    expect(await verdict({ type: "equals", value: "42" }, "41")).toBe('fail: is "41", not "42"');
  });

  it("is-json and json-schema", async () => {
    expect(await verdict({ type: "is-json" }, '```json\n{"a":1}\n```')).toBe("pass: is JSON");
    expect(await verdict({ type: "is-json" }, "nope")).toMatch(/^fail: the answer is not JSON: /);
    const schema = { type: "array", items: { type: "string" }, minItems: 2 };
    expect(await verdict({ type: "json-schema", value: schema }, '["a","b"]')).toBe("pass: matches the JSON schema");
    expect(await verdict({ type: "json-schema", value: schema }, '["a", 1]')).toBe(
      "fail: does not match the JSON schema: 1: Invalid input: expected string, received number",
    );
  });

  it("max-tokens on the completion", async () => {
    expect(await verdict({ type: "max-tokens", value: 100 }, "x", 100)).toBe("pass: 100 tokens, within 100");
    expect(await verdict({ type: "max-tokens", value: 100 }, "x", 101)).toBe("fail: 101 tokens, more than 100");
  });

  it("diff-parses", async () => {
    expect(await verdict({ type: "diff-parses" }, diffOf("src/a.ts", "src/a.ts"))).toBe("pass: a unified diff of 1 file(s)");
    expect(await verdict({ type: "diff-parses" }, "no diff")).toBe("fail: holds no unified diff");
    expect(await verdict({ type: "diff-parses" }, "```diff\n--- a/x\n+++ b/x\n```")).toBe(
      "fail: the diff does not parse: line 2: x has a header but no hunk (`@@ ... @@` followed by changed lines)",
    );
  });

  it("diff-applies through the patch engine, on the fixture in memory", async () => {
    expect(await verdict({ type: "diff-applies" }, diffOf("src/a.ts", "src/a.ts"))).toBe("pass: applies: 1 hunk(s) in src/a.ts — 1 exact");
    expect(await verdict({ type: "diff-applies" }, diffOf(null, "src/c.ts"))).toBe("pass: applies: 1 hunk(s) in src/c.ts (create) — 1 new-file");
    expect(await verdict({ type: "diff-applies" }, diffOf("src/a.ts", null))).toBe("pass: applies: 1 hunk(s) in src/a.ts (delete) — 1 deleted-file");
    expect(await verdict({ type: "diff-applies" }, diffOf("src/b.ts", "src/b.ts"))).toMatch(/^fail: does not apply: src\/b\.ts: "src\/b\.ts" does not exist/);
    expect(await verdict({ type: "diff-applies" }, diffOf(null, "src/a.ts"))).toMatch(/^fail: does not apply: src\/a\.ts: "src\/a\.ts" already exists/);
    expect(await verdict({ type: "diff-applies" }, diffOf(null, "src/a.ts/x.ts"))).toMatch(/"src\/a\.ts" is a file, not a directory/);
    expect(await verdict({ type: "diff-applies" }, "nothing")).toMatch(/^fail: no diff: The answer holds no unified diff/);
  });

  it("diff-applies refuses hunks whose lines the fixture's file does not hold (what a structural check cannot see)", async () => {
    const stale = diffOf("src/a.ts", "src/a.ts").replace("-export const a = 1;", "-export const a = 9;");
    expect(await verdict({ type: "diff-parses" }, stale)).toBe("pass: a unified diff of 1 file(s)");
    expect(await verdict({ type: "diff-applies" }, stale)).toBe(
      "fail: does not apply: src/a.ts hunk 1: 1 of the hunk's 1 context/removed lines is not in the file (it fits best at lines 1-1).",
    );
  });
});

const linted = definePrompt(`id: echo
version: "1.0.0"
purpose: custom
description: d
template: "Say {{word}}"
inputs:
  - name: word
guards:
  max_tokens: 20
  must_include: ["!"]
evals:
  - name: hello
    vars: { word: hello }
    assert:
      - { type: contains, value: hello }
      - { type: regex, value: "!$" }
  - name: weighted
    vars: { word: bye }
    threshold: 0.75
    assert:
      - { type: contains, value: bye, weight: 3 }
      - { type: contains, value: ciao }
  - name: informational
    vars: { word: yo }
    assert:
      - { type: contains, value: yo }
      - { type: contains, value: never, weight: 0 }
`);
// Lint refuses a case whose input breaks the guards; definitions built in code can still have one.
const prompt = {
  ...linted,
  evals: [...linted.evals, { name: "too-big", vars: { word: "many ".repeat(40) }, assert: [{ type: "contains" as const, value: "many", weight: 1 }] }],
};

/** Answers "<word>!" for the word in the prompt, with usage and cost like a priced provider. */
const echo = async (input: GenInput): Promise<GenResult> => {
  const word = input.user.replace(/^Say /, "");
  return { text: word === "bye" ? "bye" : `${word}!`, provider: "openai", model: "fake", usage: { prompt: 3, completion: 2, total: 5 }, costMicros: 7 };
};

describe("runEvals", () => {
  it("scores every case with weights, thresholds and informational assertions, and sums tokens and cost", async () => {
    const report = await runEvals({ prompts: [{ prompt }], generate: echo });
    const rows = report.results.map((r) => [r.caseName, r.pass, r.score, r.reason]);
    expect(rows).toEqual([
      ["hello", true, 1, "2/2 assertions passed"],
      ["weighted", true, 0.75, "score 0.75 ≥ 0.75"],
      ["informational", true, 1, '1/2 assertions passed; informational: contains: does not contain "never"'],
      ["too-big", false, 0, expect.stringMatching(/^guard_violated: prompt echo: input guard max_tokens: the rendered input has about \d+ tokens/)],
    ]);
    expect(report.results[1]?.guardViolations).toEqual([{ guard: "must_include", side: "output", message: 'the answer does not contain "!"', limit: "!" }]);
    expect(report.results[3]?.error?.code).toBe("guard_violated");
    expect(report).toMatchObject({ passed: 3, failed: 1, tokens: 15, costMicros: null });
    expect(report.results[0]).toMatchObject({ usage: { total: 5 }, tokens: 5, costMicros: 7, provider: "openai", model: "fake" });
  });

  it("fails a case with the failing assertions' reasons, and keeps going after a provider error", async () => {
    const generate = async (input: GenInput): Promise<GenResult> => {
      if (input.user === "Say yo") throw new GromptError("replay_miss", "the cassette has no recording of this request");
      return { text: "nothing useful", provider: "anthropic", model: "fake" };
    };
    const report = await runEvals({ prompts: [{ prompt }], generate, only: (_, name) => name !== "too-big" });
    expect(report.results.map((r) => [r.caseName, r.pass, r.reason])).toEqual([
      ["hello", false, 'contains: does not contain "hello"; regex: does not match /!$/'],
      ["weighted", false, 'contains: does not contain "bye"; contains: does not contain "ciao" (score 0.00 < 0.75)'],
      ["informational", false, "replay_miss: the cassette has no recording of this request"],
    ]);
    // No usage from the provider: tokens are estimated, cost is unknown.
    expect(report.results[0]?.tokens).toBeGreaterThan(0);
    expect(report.costMicros).toBeNull();
  });

  it("sends diff-applies through the injected patch engine, with the fixture from dir and inline files", async () => {
    const temp = useTempDir()();
    temp.write("fixtures/base/src/a.ts", "from dir\n");
    temp.write("fixtures/base/src/b.ts", "b\n");
    const file = temp.write(
      "p.yml",
      `id: fx\nversion: "1.0.0"\npurpose: refactor\ndescription: d\ntemplate: "{{x}}"\ninputs: [{ name: x }]\nevals:\n  - name: c\n    vars: { x: go }\n    fixture: { dir: fixtures/base, files: { src/a.ts: "inline\\n" } }\n    assert: [{ type: diff-applies }]\n`,
    );
    const seen: [string, string][][] = [];
    const report = await runEvals(
      { prompts: [{ prompt: definePrompt(await import("node:fs").then((fs) => fs.readFileSync(file, "utf8"))), file }], generate: async () => ({ text: "the diff", provider: "openai", model: "m" }) },
      {
        diffApplies: (answer, tree) => {
          seen.push([...tree.files.entries()]);
          return { ok: answer === "the diff", reason: "applied by the patch engine" };
        },
      },
    );
    expect(seen).toEqual([[["src/a.ts", "inline\n"], ["src/b.ts", "b\n"]]]);
    expect(report.results[0]).toMatchObject({ pass: true, assertions: [{ type: "diff-applies", pass: true, reason: "applied by the patch engine" }] });
  });

  it("fails a case whose fixture directory is missing, naming it", async () => {
    const bad = definePrompt(`id: fx\nversion: "1.0.0"\npurpose: refactor\ndescription: d\ntemplate: "{{x}}"\ninputs: [{ name: x }]\nevals:\n  - name: c\n    vars: { x: go }\n    fixture: { dir: nowhere }\n    assert: [{ type: diff-applies }]\n`);
    const report = await runEvals({ prompts: [{ prompt: bad, file: "/tmp/grompt-no-such/p.yml" }], generate: echo });
    expect(report.results[0]).toMatchObject({ pass: false, reason: "invalid_input: fixture directory /tmp/grompt-no-such/nowhere is missing or empty" });
  });
});
