import { execa } from "execa";
import { join } from "node:path";
import { repoRoot } from "./run-script";

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`bin/grompt`) as a user would, with its own home and no user config. */
export async function runGrompt(args: string[], options: { home: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<CliResult> {
  const result = await execa(process.execPath, [join(repoRoot, "bin", "grompt"), ...args], {
    cwd: options.cwd ?? options.home,
    env: { GROMPT_HOME: join(options.home, "home"), XDG_CONFIG_HOME: join(options.home, "xdg"), NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    extendEnv: true,
    reject: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The same env the CLI gets, for a container opened inside the test on the same home. */
export const cliEnv = (home: string): NodeJS.ProcessEnv => ({
  ...process.env,
  GROMPT_HOME: join(home, "home"),
  XDG_CONFIG_HOME: join(home, "xdg"),
});
