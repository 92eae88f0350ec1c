import { describe, expect, it } from "vitest";
import { parsePromptText } from "../../../src/app/prompts/parse-prompt-text";
import { formatProblem } from "../../../src/app/prompts/prompt-problem";
import { parsePromptFiles } from "../../../src/app/prompts/scan-prompt-directory";
import { promptYaml, useTempDir } from "../../support/prompt-fixtures";

/** Every problem of a prompt text as `line:column message`. */
const lint = (text: string): string[] => parsePromptText(text, "p.yml").problems.map((p) => `${p.line}:${p.column} ${p.message}`);

describe("prompt lint: YAML and schema", () => {
  it("accepts a minimal prompt and fills the defaults", () => {
    const parsed = parsePromptText(promptYaml("tiny"), "p.yml");
    expect(parsed.problems).toEqual([]);
    expect(parsed.prompt).toMatchObject({
      id: "tiny",
      inputs: [{ name: "task", type: "string", required: true }],
      guards: { must_include: [], must_not_include: [] },
      output: { format: "text" },
      evals: [],
    });
  });

  it("reports only the first YAML syntax error, at its line and column", () => {
    expect(lint('id: x\ntemplate: "unclosed\n')).toEqual(['3:1 YAML syntax error: Missing closing "quote']);
  });

  it("rejects a file that is not a mapping", () => {
    expect(lint("- just\n- a list\n")).toEqual([expect.stringMatching(/^1:1 a prompt file is a mapping/)]);
  });

  it("points unknown keys at the key itself", () => {
    expect(lint(promptYaml("x", "guards:\n  max_line: 3\n"))).toEqual(["10:3 unknown key `max_line` in `guards`"]);
    expect(lint(promptYaml("x", "temperature: 1\n"))).toEqual(["9:1 unknown key `temperature` in the top level"]);
  });

  it("names missing required keys", () => {
    expect(lint('id: x\nversion: "1.0.0"\npurpose: custom\n')).toEqual(["1:1 missing required key `description`", "1:1 missing required key `template`"]);
  });

  it("wants a quoted semantic version, a known purpose and a kebab-case id", () => {
    const text = promptYaml("x").replace('version: "1.0.0"', "version: 1.0").replace("purpose: custom", "purpose: review").replace("id: x", "id: Bad_Id");
    expect(lint(text)).toEqual([
      "1:5 `id` ids are kebab-case: lowercase letters, digits and dashes (at most 64)",
      '2:10 `version` must be a quoted semantic version such as "1.0.0"',
      '3:10 `purpose` must be one of "craft", "refactor", "summarize", "custom"',
    ]);
    expect(lint(promptYaml("x").replace('"1.0.0"', '"1.0"'))).toEqual(['2:10 `version` must be a semantic version such as "1.0.0"']);
  });

  it("names unknown and missing assertion types with the known ones", () => {
    const evals = "evals:\n  - name: c\n    vars: { task: t }\n    assert:\n      - type: contain\n        value: x\n      - value: y\n";
    const problems = lint(promptYaml("x", evals));
    expect(problems[0]).toMatch(/^13:15 unknown assertion type "contain"; known types: contains, not-contains, regex, not-regex, equals, is-json, json-schema, max-tokens, diff-parses, diff-applies$/);
    expect(problems[1]).toMatch(/^15:9 missing assertion `type`; known types: contains/);
  });

  it("rejects a required input with a default, and a default outside `values`", () => {
    const inputs = 'inputs:\n  - name: task\n    required: true\n    default: "t"\n  - name: mode\n    values: [a, b]\n    default: c\n';
    const text = promptYaml("x").replace("inputs:\n  - name: task\n", inputs).replace("Do {{task}}", "Do {{task}} {{mode}}");
    expect(lint(text)).toEqual(["10:14 `inputs.0.default` a required input cannot have a default", '13:14 `inputs.1.default` the default "c" is not one of `values`']);
  });

  it("still reports template problems when the schema fails", () => {
    const text = promptYaml("x", "guards: { max_line: 1 }\n").replace("Do {{task}}", "Do {{taks}}");
    expect(lint(text)).toEqual(["9:11 unknown key `max_line` in `guards`", "6:8 `template` uses `taks`, which is not a declared input (declared: task)"]);
  });
});

describe("prompt lint: templates against inputs", () => {
  const withTemplate = (template: string, inputs = "inputs:\n  - name: task\n") =>
    `id: t\nversion: "1.0.0"\npurpose: custom\ndescription: d\ntemplate: |\n${template
      .split("\n")
      .map((line) => `  ${line}`)
      .join("\n")}\n${inputs}`;

  it("finds undeclared variables at their exact line and column, wherever they are used", () => {
    const template = ["{{task}} {{ghost}}", "{{#if (eq mode 'x')}}{{join items \", \"}}{{/if}}", "{{#each task}}{{name}} {{../outer}} {{@root.top}}{{/each}}", "{{lookup map key}}"].join("\n");
    expect(lint(withTemplate(template))).toEqual([
      "6:14 `template` uses `ghost`, which is not a declared input (declared: task)",
      "7:13 `template` uses `mode`, which is not a declared input (declared: task)",
      "7:31 `template` uses `items`, which is not a declared input (declared: task)",
      expect.stringMatching(/^8:2\d `template` uses `outer`/),
      expect.stringMatching(/^8:\d\d `template` uses `top`/),
      "9:12 `template` uses `map`, which is not a declared input (declared: task)",
      "9:16 `template` uses `key`, which is not a declared input (declared: task)",
    ]);
  });

  it("checks `system` too, and knows block parameters and loop data are not inputs", () => {
    const text = `${withTemplate("{{#each task as |item|}}{{item}} {{@index}} {{this}}{{/each}}")}system: "Be {{tone}}."\n`;
    expect(lint(text)).toEqual(["9:15 `system` uses `tone`, which is not a declared input (declared: task)"]);
  });

  it("follows else-if chains and unless blocks", () => {
    expect(lint(withTemplate("{{#if task}}a{{else if other}}b{{else}}{{#unless third}}c{{/unless}}{{/if}}"))).toEqual([
      "6:26 `template` uses `other`, which is not a declared input (declared: task)",
      "6:52 `template` uses `third`, which is not a declared input (declared: task)",
    ]);
  });

  it("reports declared inputs no template uses", () => {
    expect(lint(withTemplate("{{task}}", "inputs:\n  - name: task\n  - name: spare\n    required: false\n"))).toEqual([
      "9:11 input `spare` is declared but neither `system` nor `template` uses it",
    ]);
  });

  it("rejects unknown helpers, partials and template syntax errors", () => {
    expect(lint(withTemplate("{{shout task}}\n{{> header}}"))).toEqual([
      "6:5 `template`: unknown helper `shout`; available: if, unless, each, with, lookup, eq, join, raw",
      "7:3 `template`: partials (`{{> name}}`) are not supported in prompt templates",
    ]);
    expect(lint(withTemplate("{{task}}\n{{#if task}}\nnever closed"))).toEqual([
      "7:3 `template`: `{{#if}}` is never closed (no `{{/if}}`)",
    ]);
  });

  it("rejects inputs declared twice or named like a helper", () => {
    expect(lint(withTemplate("{{task}}", "inputs:\n  - name: task\n  - name: task\n  - name: each\n    required: false\n"))).toEqual([
      "9:11 input `task` is declared twice",
      "10:11 input `each` has the name of a template helper; rename it",
      "10:11 input `each` is declared but neither `system` nor `template` uses it",
    ]);
  });
});

describe("prompt lint: guards, output and evals", () => {
  it("rejects a text both required and forbidden", () => {
    expect(lint(promptYaml("x", 'guards:\n  must_include: ["ok"]\n  must_not_include: ["ok"]\n'))).toEqual(['10:18 "ok" is both required and forbidden']);
  });

  it("wants output.schema only with format json, and a schema it can compile", () => {
    expect(lint(promptYaml("x", "output:\n  format: text\n  schema: { type: object }\n"))).toEqual(["11:3 `output.schema` needs `format: json` (the format is text)"]);
    expect(lint(promptYaml("x", "output:\n  format: json\n  schema: { $ref: 'http://example.com/s.json' }\n"))).toEqual([
      "11:11 `output.schema` cannot be used: External $ref is not supported, only local refs (#/...) are allowed",
    ]);
  });

  const evalCase = (body: string) => promptYaml("x", `evals:\n  - name: c\n${body}`);

  it("checks case vars against the inputs", () => {
    expect(lint(evalCase("    vars: { tsk: t }\n    assert: [{ type: is-json }]\n"))).toEqual([
      "11:13 eval case `c` sets `tsk`, which is not a declared input",
      "11:5 eval case `c` lacks required input `task`",
    ]);
    expect(lint(evalCase("    vars: { task: [a, b] }\n    assert: [{ type: is-json }]\n"))).toEqual(["11:19 eval case `c`: input `task` takes one text, not a list"]);
  });

  it("checks assertion values: regular expressions and JSON schemas", () => {
    const body = "    vars: { task: t }\n    assert:\n      - { type: regex, value: 'a(' }\n      - { type: json-schema, value: { if: { type: string }, then: {} } }\n";
    expect(lint(evalCase(body))).toEqual([
      "13:31 eval case `c`: invalid regular expression: Invalid regular expression: /a(/: Unterminated group",
      "14:37 eval case `c`: the JSON schema cannot be used: Conditional schemas (if/then/else) are not supported",
    ]);
  });

  it("requires a fixture for diff-applies, with paths inside it", () => {
    expect(lint(evalCase("    vars: { task: t }\n    assert: [{ type: diff-applies }]\n"))).toEqual([
      "12:22 eval case `c`: `diff-applies` needs a `fixture` (files or dir) to apply the diff to",
    ]);
    expect(lint(evalCase("    vars: { task: t }\n    fixture: { files: { ../x.ts: '' } }\n    assert: [{ type: diff-applies }]\n"))).toEqual([
      '12:25 eval case `c`: fixture path "../x.ts" must be relative and stay inside the fixture',
    ]);
  });

  it("rejects duplicate case names and cases whose input breaks the guards", () => {
    const text = promptYaml("x", "guards: { max_lines: 1 }\nevals:\n  - name: c\n    vars: { task: t }\n    assert: [{ type: is-json }]\n  - name: c\n    vars: { task: \"two\\nlines\" }\n    assert: [{ type: is-json }]\n");
    expect(lint(text)).toEqual([
      "14:11 eval case `c` is defined twice (also case 1)",
      "14:11 eval case `c`: the rendered input has 2 lines, more than the 1 allowed (guard max_lines)",
    ]);
  });
});

describe("prompt lint: directories", () => {
  const temp = useTempDir();

  it("flags every file of a duplicated id, naming the other file", () => {
    const dir = temp();
    const first = dir.write("a.yml", promptYaml("same"));
    const second = dir.write("b.yaml", promptYaml("same"));
    const [a, b] = parsePromptFiles([first, second]);
    expect(a?.prompt).toBeUndefined();
    expect(a?.problems.map((p) => formatProblem(p))).toEqual([`${first}:1:5: duplicate id \`same\`: also defined in ${second}:1`]);
    expect(b?.problems.map((p) => formatProblem(p))).toEqual([`${second}:1:5: duplicate id \`same\`: also defined in ${first}:1`]);
  });

  it("reports an unreadable file as a problem, not a crash", () => {
    const [missing] = parsePromptFiles(["/nonexistent/prompt.yml"]);
    expect(missing?.problems).toEqual([{ file: "/nonexistent/prompt.yml", line: 1, column: 1, message: "cannot read the file: no such file" }]);
  });
});
