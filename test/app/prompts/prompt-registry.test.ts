import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPromptRegistry } from "../../../src/app/prompts/load-prompt-registry";
import { builtInPromptsDir, promptDirectories } from "../../../src/app/prompts/prompt-directories";
import { promptPurposeValues } from "../../../src/app/prompts/prompt-schema";
import { promptPurposes } from "../../../src/core/domain/job";
import { promptYaml, useTempDir } from "../../support/prompt-fixtures";
import { caught } from "../../support/caught";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const builtIns = ["craft-prompt", "custom", "evolve-repair", "refactor-small", "summarize"];

describe("prompt directories", () => {
  it("finds the shipped prompts/ from src and from the bundled dist/cli.js alike", () => {
    expect(builtInPromptsDir()).toBe(join(repoRoot, "prompts"));
    expect(builtInPromptsDir(join(repoRoot, "dist", "cli.js"))).toBe(join(repoRoot, "prompts"));
    expect(existsSync(join(builtInPromptsDir(), "refactor-small.yml"))).toBe(true);
  });

  it("puts the user directory under XDG_CONFIG_HOME, else ~/.config, and the project one under .grompt", () => {
    const dirs = promptDirectories({ projectRoot: "/repo", env: { XDG_CONFIG_HOME: "/xdg" } });
    expect(dirs.map((d) => [d.source, d.dir])).toEqual([
      ["built-in", join(repoRoot, "prompts")],
      ["user", "/xdg/grompt/prompts"],
      ["project", "/repo/.grompt/prompts"],
    ]);
    expect(promptDirectories({ projectRoot: "/repo", env: { HOME: "/home/me" } })[1]?.dir).toMatch(/\.config\/grompt\/prompts$/);
  });
});

describe("prompt registry", () => {
  const temp = useTempDir();

  it("uses exactly the job's prompt purposes", () => {
    expect([...promptPurposeValues].sort()).toEqual([...promptPurposes].sort());
  });

  it("loads every built-in prompt", () => {
    const registry = loadPromptRegistry([{ source: "built-in", dir: builtInPromptsDir() }]);
    expect(registry.entries.map((e) => e.prompt.id)).toEqual(builtIns);
    expect(registry.get("refactor-small")).toMatchObject({ source: "built-in", shadows: [], prompt: { purpose: "refactor", output: { format: "diff" } } });
  });

  it("lets the user directory shadow built-ins and the project shadow both, reporting what each shadows", () => {
    const dir = temp();
    const user = dir.write("user/refactor-small.yml", promptYaml("refactor-small").replace('"1.0.0"', '"2.0.0"'));
    dir.write("user/mine.yml", promptYaml("mine"));
    const project = dir.write("project/any-name.yaml", promptYaml("refactor-small").replace('"1.0.0"', '"3.0.0"'));
    const registry = loadPromptRegistry([
      { source: "built-in", dir: builtInPromptsDir() },
      { source: "user", dir: join(dir.root, "user") },
      { source: "project", dir: join(dir.root, "project") },
      { source: "project", dir: join(dir.root, "does-not-exist") },
    ]);
    const winner = registry.get("refactor-small");
    expect(winner.file).toBe(project);
    expect(winner.source).toBe("project");
    expect(winner.prompt.version).toBe("3.0.0");
    expect(winner.shadows).toEqual([
      { file: user, source: "user", version: "2.0.0" },
      { file: join(builtInPromptsDir(), "refactor-small.yml"), source: "built-in", version: "1.0.0" },
    ]);
    expect(registry.get("mine").source).toBe("user");
    expect(registry.entries.map((e) => e.prompt.id)).toEqual([...builtIns.slice(0, 3), "mine", ...builtIns.slice(3)]);
  });

  it("fails the whole load on a broken override instead of falling back to the built-in", () => {
    const dir = temp();
    const broken = dir.write("refactor-small.yml", promptYaml("refactor-small").replace("Do {{task}}", "Do {{tsak}}"));
    const error = caught(() => loadPromptRegistry([{ source: "built-in", dir: builtInPromptsDir() }, { source: "project", dir: dir.root }]));
    expect(error.code).toBe("prompt_invalid");
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${broken}:6:8: \`template\` uses \`tsak\`, which is not a declared input (declared: task) (and 1 more)`);
    expect(error.hint).toContain(`grompt prompts lint ${broken}`);
  });

  it("rejects two files with one id in the same directory, naming both", () => {
    const dir = temp();
    const a = dir.write("a.yml", promptYaml("twin"));
    const b = dir.write("b.yml", promptYaml("twin"));
    const error = caught(() => loadPromptRegistry([{ source: "project", dir: dir.root }]));
    expect(error.code).toBe("prompt_invalid");
    expect(error.message).toBe(`${a}:1:5: duplicate id \`twin\`: also defined in ${b}:1 (and 1 more)`);
  });

  it("answers an unknown id with prompt_not_found and close suggestions", () => {
    const registry = loadPromptRegistry([{ source: "built-in", dir: builtInPromptsDir() }]);
    const typo = caught(() => registry.get("refactor-smal"));
    expect(typo.code).toBe("prompt_not_found");
    expect(typo.message).toBe('no prompt has the id "refactor-smal"');
    expect(typo.hint).toContain("Did you mean refactor-small?");
    expect(caught(() => registry.get("zzz")).hint).toBe(`Known ids: ${builtIns.join(", ")}.`);
    expect(registry.find("zzz")).toBeUndefined();
  });
});
