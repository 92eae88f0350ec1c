import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type Container, createContainer } from "../../src/app/container";
import { makeTempDir } from "./temp-home";

/** Resolves once the child has exited (at once if it already has). */
export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

export interface CrashHome {
  /** The environment child processes share with the test's container: one GROMPT_HOME, one config. */
  env: NodeJS.ProcessEnv;
  /** The file crash-runner.ts appends its start/end markers to. */
  markers: string;
  /** The test's own container on that home (opened in beforeAll). */
  container(): Container;
}

/**
 * A temporary GROMPT_HOME for kill -9 tests, with `queueConfig` (a YAML flow mapping) as the queue
 * settings; registers its own beforeAll/afterAll.
 */
export function useCrashHome(queueConfig: string): CrashHome {
  const temp = makeTempDir();
  const env = { ...process.env, GROMPT_HOME: join(temp.dir, "home"), XDG_CONFIG_HOME: join(temp.dir, "xdg"), GROMPT_LOG_LEVEL: "warn" };
  const markers = join(temp.dir, "markers.log");
  let container: Container | undefined;
  beforeAll(() => {
    mkdirSync(join(temp.dir, "xdg", "grompt"), { recursive: true });
    writeFileSync(join(temp.dir, "xdg", "grompt", "config.yaml"), `queue: ${queueConfig}\n`);
    writeFileSync(markers, "");
    container = createContainer({ cwd: temp.dir, env });
  });
  afterAll(async () => {
    await container?.close();
    temp.cleanup();
  });
  return {
    env,
    markers,
    container: () => {
      if (container === undefined) throw new Error("the crash home opens in beforeAll");
      return container;
    },
  };
}
