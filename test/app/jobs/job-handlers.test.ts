import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createContainer } from "../../../src/app/container";
import { createJobHandlerRegistry, registerJobHandlers } from "../../../src/app/job-handlers";
import type { JobHandler } from "../../../src/app/runner/job-handler";
import { useTempDir } from "../../support/prompt-fixtures";

const tempDir = useTempDir("grompt-handlers-");
const noop: JobHandler = async () => ({ result: {} });

describe("job handler seam", () => {
  it("registers each purpose once, explicitly, and builds handlers over the given dependencies", () => {
    const registry = createJobHandlerRegistry();
    const seen: unknown[] = [];
    registry.register("summarize", (deps) => {
      seen.push(deps);
      return noop;
    });
    expect(() => registry.register("summarize", () => noop)).toThrow("a summarize job handler is already registered");
    const deps = { marker: true } as unknown as Parameters<typeof registry.create>[0];
    expect(Object.keys(registry.create(deps))).toEqual(["summarize"]);
    expect(seen).toEqual([deps]);
  });

  it("ships handlers for craft and refactor (evolve); the container hands the same set to every runner", async () => {
    expect(registerJobHandlers(createJobHandlerRegistry()).purposes()).toEqual(["craft", "refactor"]);
    const dir = tempDir();
    const container = createContainer({ cwd: dir.root, env: { GROMPT_HOME: join(dir.root, "home"), XDG_CONFIG_HOME: join(dir.root, "xdg") } });
    try {
      const handlers = await container.jobHandlers();
      expect(Object.keys(handlers)).toEqual(["craft", "refactor"]);
      expect(await container.jobHandlers()).toBe(handlers);
    } finally {
      await container.close();
    }
  });
});
