import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, runGrompt } from "../support/run-grompt";

let sandbox: ReturnType<typeof makeSandbox>;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.cleanup());

const { version } = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { version: string };
const grompt = (...args: string[]) => runGrompt(args, { env: sandbox.env, cwd: sandbox.dir });

describe("grompt on a usage error", () => {
  it("names the mistake, points at --help and exits 2, at every level of the command tree", async () => {
    const cases: [string[], string][] = [
      [["--bogus"], "error: unknown option '--bogus'\n"],
      [["patch", "apply", "--bogus", "change.diff"], "error: unknown option '--bogus'\n"],
      [["config", "show", "--nope"], "error: unknown option '--nope'\n"],
      [["evolve"], "error: missing required argument 'instruction'\n"],
      [["jobs", "list", "--limit", "many"], "error: option '--limit <n>' argument 'many' is invalid. Use a whole number from 1 to 500.\n"],
      [["jobs", "lst"], "error: unknown command 'lst'\n(Did you mean list?)\n"],
    ];
    for (const [args, message] of cases) {
      const run = await grompt(...args);
      expect({ args, code: run.exitCode, stdout: run.stdout, stderr: run.stderr }).toEqual({ args, code: 2, stdout: "", stderr: `${message}(add --help for usage)\n` });
    }
    // Refused before any command ran: nothing was created under the home.
    expect(existsSync(join(sandbox.dir, "home"))).toBe(false);
  });

  it("prints help and the version without the hint, exit 0", async () => {
    const help = await grompt("patch", "apply", "--help");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: grompt patch apply \[options\] <file>\n/);
    expect(help.stdout + help.stderr).not.toContain("add --help");
    const printed = await grompt("--version");
    expect({ code: printed.exitCode, stdout: printed.stdout, stderr: printed.stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});
