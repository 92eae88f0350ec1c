import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox } from "../support/run-grompt";

let sandbox: ReturnType<typeof makeSandbox>;
beforeEach(() => {
  sandbox = makeSandbox();
});
afterEach(() => sandbox.cleanup());

const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");

describe("grompt writing into a pipe its reader has closed", () => {
  it("stops quietly, like any filter, instead of printing an EPIPE stack trace", () => {
    // `true` exits without reading, so grompt's first write meets a closed pipe.
    // pipefail: the pipeline's status is grompt's own when grompt fails.
    const run = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${bin}" providers list | true`], {
      cwd: sandbox.dir,
      env: sandbox.env,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
