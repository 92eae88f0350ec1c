import { readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import fg from "fast-glob";
import { GromptError } from "../../../core/domain/errors";
import type { EvalCase } from "../prompt-schema";

/** The files an eval case's diff is checked against: relative POSIX path → content. */
export interface FixtureTree {
  files: ReadonlyMap<string, string>;
}

export type ReadFixtureDir = (dir: string) => Map<string, string>;

/** Every file under `dir` (dotfiles included, `.git` left out), keyed by relative POSIX path. */
export const readFixtureDir: ReadFixtureDir = (dir) => {
  const paths = fg.sync("**/*", { cwd: dir, dot: true, onlyFiles: true, ignore: ["**/.git/**"] });
  if (paths.length === 0) {
    throw new GromptError("invalid_input", `fixture directory ${dir} is missing or empty`, {
      hint: "`fixture.dir` is relative to the prompt file; create it or fix the path.",
    });
  }
  return new Map(paths.sort().map((path) => [path, readFileSync(join(dir, path), "utf8")]));
};

/** The case's fixture: `dir` (relative to the prompt file) overlaid with inline `files`. */
export function fixtureForCase(evalCase: EvalCase, promptFile: string | undefined, readDir: ReadFixtureDir = readFixtureDir): FixtureTree | undefined {
  const fixture = evalCase.fixture;
  if (fixture === undefined) return undefined;
  const files = new Map<string, string>();
  if (fixture.dir !== undefined) {
    const base = promptFile === undefined ? process.cwd() : resolve(promptFile, "..");
    const dir = isAbsolute(fixture.dir) ? fixture.dir : resolve(base, fixture.dir);
    for (const [path, content] of readDir(dir)) files.set(path, content);
  }
  for (const [path, content] of Object.entries(fixture.files ?? {})) files.set(path.replace(/\\/g, "/").replace(/^\.\//, ""), content);
  return { files };
}
