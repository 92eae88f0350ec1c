import { describe, expect, it } from "vitest";
import { renderPrompt } from "../../../src/app/prompts/render-prompt";
import { definePrompt } from "../../support/prompt-fixtures";
import { caught } from "../../support/caught";

const prompt = definePrompt(`id: demo
version: "1.0.0"
purpose: custom
description: rendering rules
system: |
  {{#if (eq mode "strict")}}Be strict.{{else}}Be kind.{{/if}}
template: |
  Task: {{task}}
  {{#if files}}
  Files: {{join files ", "}}
  {{#each files}}
  - {{this}} ({{@index}})
  {{/each}}
  {{/if}}
  Tone: {{tone}}
inputs:
  - name: task
  - name: files
    type: list
    required: false
  - name: tone
    default: "neutral"
  - name: mode
    values: [strict, lenient]
    required: false
`);

describe("renderPrompt", () => {
  it("renders system and user with defaults, list inputs and helpers", () => {
    expect(renderPrompt(prompt, { task: "fix it", files: ["a.ts", "b.ts"], mode: "strict" })).toEqual({
      system: "Be strict.\n",
      user: "Task: fix it\nFiles: a.ts, b.ts\n- a.ts (0)\n- b.ts (1)\nTone: neutral\n",
    });
  });

  it("leaves optional inputs empty, so blocks about them disappear", () => {
    expect(renderPrompt(prompt, { task: "t", tone: "dry" }).user).toBe("Task: t\nTone: dry\n");
  });

  it("never HTML-escapes: prompts carry code", () => {
    expect(renderPrompt(prompt, { task: `<a href="x">&</a>` }).user).toContain(`Task: <a href="x">&</a>`);
  });

  it("turns a single value of a list input into a one-item list and numbers into text", () => {
    expect(renderPrompt(prompt, { task: 42, files: "only.ts" }).user).toContain("Files: only.ts\n- only.ts (0)");
  });

  it("names every missing required input", () => {
    const error = caught(() => renderPrompt(prompt, {}));
    expect(error.code).toBe("invalid_input");
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("prompt demo needs `task`: it is required and has no default");
    expect(error.hint).toBe("Give --var task=... (inputs: task, files?, tone?, mode?).");
    expect(error.details).toMatchObject({ missing: ["task"] });
  });

  it("rejects unknown names, lists for string inputs and values outside `values`", () => {
    expect(caught(() => renderPrompt(prompt, { task: "t", colour: "red" })).message).toBe("prompt demo has no input `colour`");
    expect(caught(() => renderPrompt(prompt, { task: ["a", "b"] })).message).toBe("prompt demo: input `task` takes one text, not a list");
    const outside = caught(() => renderPrompt(prompt, { task: "t", mode: "loose" }));
    expect(outside.message).toBe('prompt demo: input `mode` is "loose"; allowed: strict, lenient');
    expect(outside.hint).toBe("Use one of the allowed values.");
  });

  it("omits an empty system message", () => {
    const bare = definePrompt(`id: bare\nversion: "1.0.0"\npurpose: custom\ndescription: d\nsystem: "{{#if x}}{{x}}{{/if}}"\ntemplate: "{{x}}!"\ninputs:\n  - name: x\n    required: false\n`);
    expect(renderPrompt(bare, {})).toEqual({ user: "!" });
  });
});
