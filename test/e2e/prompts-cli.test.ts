import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { promptYaml, useTempDir } from "../support/prompt-fixtures";

const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");
const builtInDir = join(import.meta.dirname, "..", "..", "prompts");

describe("grompt prompts (built CLI)", () => {
  const temp = useTempDir("grompt-prompts-e2e-");

  /** A repository with its own .git, and HOME/XDG/GROMPT_HOME inside the temp dir. */
  function sandbox() {
    const dir = temp();
    mkdirSync(join(dir.root, "repo", ".git"), { recursive: true });
    const run = (args: string[], input?: string) => {
      const result = spawnSync(process.execPath, [bin, "--cwd", join(dir.root, "repo"), ...args], {
        encoding: "utf8",
        input,
        env: { PATH: process.env.PATH, HOME: join(dir.root, "home"), XDG_CONFIG_HOME: join(dir.root, "config"), GROMPT_HOME: join(dir.root, "grompt"), NO_COLOR: "1" },
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    return { ...dir, run, repo: join(dir.root, "repo") };
  }

  it("lists every prompt with the file that won and what it shadows", () => {
    const box = sandbox();
    box.write("repo/.grompt/prompts/refactor-small.yml", promptYaml("refactor-small").replace('"1.0.0"', '"9.0.0"'));
    box.write("config/grompt/prompts/notes.yaml", promptYaml("notes"));
    const { code, stdout } = box.run(["prompts", "list"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+VERSION\s+PURPOSE\s+SOURCE\s+SHADOWS$/);
    expect(lines.find((l) => l.startsWith("refactor-small"))).toMatch(
      new RegExp(`^refactor-small\\s+9\\.0\\.0\\s+custom\\s+project: \\.grompt/prompts/refactor-small\\.yml\\s+built-in 1\\.0\\.0 \\(${builtInDir}/refactor-small\\.yml\\)$`),
    );
    expect(lines.find((l) => l.startsWith("notes"))).toContain(`user: ${join(box.root, "config", "grompt", "prompts", "notes.yaml")}`);

    const json = JSON.parse(box.run(["prompts", "list", "--json"]).stdout) as { id: string; source: string; shadows: unknown[] }[];
    expect(json.map((p) => `${p.id}:${p.source}:${p.shadows.length}`)).toEqual([
      "craft-prompt:built-in:0",
      "custom:built-in:0",
      "evolve-repair:built-in:0",
      "notes:user:0",
      "refactor-small:project:1",
      "summarize:built-in:0",
    ]);
  });

  it("shows a prompt, and names close ids for an unknown one", () => {
    const box = sandbox();
    const shown = box.run(["prompts", "show", "summarize"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("summarize 1.0.0 (summarize)");
    expect(shown.stdout).toMatch(/format\s+string\s+default "paragraph"\s+One paragraph, or a bullet list\. \(paragraph \| bullets\)/);
    expect(shown.stdout).toContain("guards:  max_lines 20000, max_tokens 100000");
    expect(shown.stdout).toContain("--- template ---\n<material>");
    const missing = box.run(["prompts", "show", "sumarize"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error [prompt_not_found] no prompt has the id "sumarize"\nhint: Did you mean summarize? `grompt prompts list` shows them all.\n');
  });

  it("lints every registry file, printing file:line:column problems and exiting 2 listing all broken files", () => {
    const box = sandbox();
    box.write("repo/.grompt/prompts/a.yml", promptYaml("a").replace("Do {{task}}", "Do {{tsk}}"));
    box.write("repo/.grompt/prompts/b.yml", "id: b\n  broken: [\n");
    box.write("repo/.grompt/prompts/c.yml", promptYaml("c", "evals:\n  - name: x\n    vars: { task: t }\n    assert: [{ type: contain, value: y }]\n"));
    const before = readdirSync(join(box.repo, ".grompt", "prompts")).sort();
    const { code, stdout, stderr } = box.run(["prompts", "lint"]);
    expect(code).toBe(2);
    expect(stderr.split("\n")).toEqual([
      ".grompt/prompts/a.yml:6:8: `template` uses `tsk`, which is not a declared input (declared: task)",
      ".grompt/prompts/a.yml:8:11: input `task` is declared but neither `system` nor `template` uses it",
      ".grompt/prompts/b.yml:1:5: YAML syntax error: Nested mappings are not allowed in compact mappings",
      expect.stringMatching(/^\.grompt\/prompts\/c\.yml:12:22: unknown assertion type "contain"; known types: contains, /),
      "error [prompt_invalid] 3 of 8 prompt file(s) have problems: .grompt/prompts/a.yml, .grompt/prompts/b.yml, .grompt/prompts/c.yml",
      "hint: Fix the lines listed above; each is file:line:column: problem.",
      "",
    ]);
    expect(stdout).toContain(`ok  ${builtInDir}/refactor-small.yml (refactor-small 1.0.0)`);
    expect(readdirSync(join(box.repo, ".grompt", "prompts")).sort()).toEqual(before);
  });

  it("lints named files and directories, and fails the registry commands on a broken override", () => {
    const box = sandbox();
    box.write("repo/good.yml", promptYaml("good"));
    expect(box.run(["prompts", "lint", "good.yml", builtInDir])).toMatchObject({ code: 0, stderr: "" });
    expect(box.run(["prompts", "lint", "missing.yml"]).stderr).toContain("missing.yml:1:1: cannot read the file: no such file");
    box.write("repo/.grompt/prompts/refactor-small.yml", promptYaml("refactor-small").replace('"1.0.0"', "1.0"));
    const list = box.run(["prompts", "list"]);
    expect(list.code).toBe(2);
    expect(list.stderr).toBe(
      `error [prompt_invalid] ${join(box.repo, ".grompt/prompts/refactor-small.yml")}:2:10: \`version\` must be a quoted semantic version such as "1.0.0"\nhint: Run \`grompt prompts lint ${join(box.repo, ".grompt/prompts/refactor-small.yml")}\` to see every problem.\n`,
    );
  });

  it("renders system and user with --var, --var-file, repeated list values and stdin", () => {
    const box = sandbox();
    box.write("repo/notes.txt", "line one\nline two\n");
    const rendered = box.run(["prompts", "render", "custom", "--var", "task=Summarize it", "--var-file", "context=notes.txt", "--var", "format=one line"]);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toBe(
      "--- system ---\nYou are a careful, precise assistant.\n\n- Do exactly what the task asks; when it is ambiguous, choose the most reasonable reading and\n  say which in one sentence.\n- Base your answer on the material when it is given; say so when the material does not contain\n  what the task needs instead of guessing.\n- Answer directly, without preamble or closing remarks.\n--- user ---\n<material>\nline one\nline two\n\n</material>\n\n<task>\nSummarize it\n</task>\n\nAnswer format: one line\n",
    );
    expect(rendered.stderr).toMatch(/^custom 1\.0\.0: 18 lines, about \d+ tokens\n$/);

    const craft = box.run(["prompts", "render", "craft-prompt", "--var", "ideas=first", "--var", "ideas=second", "--var", "purpose=code", "--json"]);
    const json = JSON.parse(craft.stdout) as { user: string; violations: unknown[] };
    expect(json.user).toContain("<ideas>\n- first\n- second\n</ideas>");
    expect(json.violations).toEqual([]);

    const piped = box.run(["prompts", "render", "summarize", "--var-file", "text=-"], "piped text\n");
    expect(piped.stdout).toContain("<material>\npiped text\n\n</material>");
  });

  it("exits 2 naming a missing required input, a malformed --var or an unreadable --var-file", () => {
    const box = sandbox();
    const missing = box.run(["prompts", "render", "refactor-small", "--var", "context=x"]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toBe(
      "error [invalid_input] prompt refactor-small needs `instruction`: it is required and has no default\nhint: Give --var instruction=... (inputs: instruction, context, files?, omitted?, style?, checks?).\n",
    );
    expect(box.run(["prompts", "render", "custom", "--var", "task"]).stderr).toBe('error [usage] --var "task" is not name=value\nhint: Write --var instruction=\'add a test\'.\n');
    expect(box.run(["prompts", "render", "custom", "--var", "task=a", "--var", "task=b"]).stderr).toContain("--var task is given twice");
    const unreadable = box.run(["prompts", "render", "custom", "--var-file", "task=nope.txt"]);
    expect(unreadable).toMatchObject({ code: 2, stderr: expect.stringContaining("--var-file task=nope.txt: cannot read it (no such file)") });
    expect(box.run(["prompts", "render", "summarize", "--var", "text=x", "--var", "format=table"]).stderr).toContain(
      'error [invalid_input] prompt summarize: input `format` is "table"; allowed: paragraph, bullets',
    );
  });

  it("still renders an input that breaks a guard, with a warning", () => {
    const box = sandbox();
    box.write("repo/.grompt/prompts/short.yml", promptYaml("short", "guards: { max_lines: 2 }\n"));
    const result = box.run(["prompts", "render", "short", "--var", "task=a\nb\nc"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("--- user ---\nDo a\nb\nc\n");
    expect(result.stderr).toContain("warning input guard max_lines: the rendered input has 3 lines, more than the 2 allowed");
  });
});
