import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config/load-config";
import { makeTempDir } from "../support/temp-home";

let temp: ReturnType<typeof makeTempDir>;
let repo: string;
let env: NodeJS.ProcessEnv;
const userFile = () => join(temp.dir, "xdg", "grompt", "config.yaml");
const repoFile = () => join(repo, ".grompt", "config.yaml");
const write = (file: string, text: string) => {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
};
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error("expected loadConfig to fail");
};

beforeEach(() => {
  temp = makeTempDir();
  repo = join(temp.dir, "repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  env = { XDG_CONFIG_HOME: join(temp.dir, "xdg"), GROMPT_HOME: join(temp.dir, "home") };
});
afterEach(() => temp.cleanup());

describe("layered config", () => {
  it("applies defaults < user file < repo file < environment < flags", () => {
    const cwd = join(repo, "src");
    expect(loadConfig({ cwd, env }).config.defaults.model).toBeUndefined();
    expect(loadConfig({ cwd, env }).config.request.timeoutMs).toBe(60_000);
    write(userFile(), "defaults: { model: from-user }\nrequest: { timeoutMs: 30000 }\nqueue: { concurrency: 4 }\n");
    expect(loadConfig({ cwd, env }).config).toMatchObject({ defaults: { model: "from-user" }, request: { timeoutMs: 30_000 } });
    write(repoFile(), "defaults:\n  model: from-repo\n");
    const fromRepo = loadConfig({ cwd, env });
    // The repo file overrides one key; the user's other keys stay.
    expect(fromRepo.config).toMatchObject({ defaults: { model: "from-repo" }, request: { timeoutMs: 30_000 }, queue: { concurrency: 4 } });
    expect(fromRepo.files).toEqual([userFile(), repoFile()]);
    expect(fromRepo.projectRoot).toBe(repo);
    const withEnv = { ...env, GROMPT_MODEL: "from-env", GROMPT_TIMEOUT_MS: "45000" };
    expect(loadConfig({ cwd, env: withEnv }).config).toMatchObject({ defaults: { model: "from-env" }, request: { timeoutMs: 45_000 } });
    const withFlags = loadConfig({ cwd, env: withEnv, flags: { defaults: { model: "from-flag" }, logging: { prompts: true } } });
    expect(withFlags.config).toMatchObject({ defaults: { model: "from-flag" }, request: { timeoutMs: 45_000 }, logging: { prompts: true } });
    expect(withFlags.home).toBe(join(temp.dir, "home"));
  });

  it("names the file, line and key of an invalid value and says what is allowed", () => {
    write(repoFile(), "# settings\nrequest:\n  timeoutMs: 5\n");
    const tooSmall = failure(() => loadConfig({ cwd: repo, env }));
    expect(tooSmall).toMatchObject({ code: "config_invalid", hint: "Use a value of at least 20000." });
    expect(tooSmall.message).toContain(`${repoFile()}:3: key request.timeoutMs`);

    write(repoFile(), "logging:\n  level: loud\n");
    const badEnum = failure(() => loadConfig({ cwd: repo, env }));
    expect(badEnum.message).toContain(`${repoFile()}:2: key logging.level`);
    expect(badEnum.hint).toContain('"debug", "info", "warn"');

    write(repoFile(), "queue:\n  concurency: 2\n");
    const unknown = failure(() => loadConfig({ cwd: repo, env }));
    expect(unknown.message).toContain("key queue.concurency: is not a known setting");

    write(userFile(), "request: [unclosed\n");
    const syntax = failure(() => loadConfig({ cwd: repo, env }));
    expect(syntax.message).toMatch(new RegExp(`^${userFile().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `));
  });

  it("names the environment variable and the flag of an invalid value", () => {
    const badEnv = failure(() => loadConfig({ cwd: repo, env: { ...env, GROMPT_TIMEOUT_MS: "soon" } }));
    expect(badEnv).toMatchObject({ code: "config_invalid", hint: "Expected number." });
    expect(badEnv.message).toContain("environment variable GROMPT_TIMEOUT_MS");
    const badBool = failure(() => loadConfig({ cwd: repo, env: { ...env, GROMPT_LOG_PROMPTS: "maybe" } }));
    expect(badBool.message).toContain("environment variable GROMPT_LOG_PROMPTS");
    const badFlag = failure(() => loadConfig({ cwd: repo, env, flags: { queue: { concurrency: 99 } } }));
    expect(badFlag.message).toContain("command-line flag for queue.concurrency");
    expect(badFlag.hint).toBe("Use a value of at most 32.");
  });
});
