import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe("npm run demo:craft", () => {
  it("crafts from the committed cassette, shows the stored job and passes the replayed evals, with no key", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(OPENAI_|GROMPT_)/.test(name)));
    const run = spawnSync(process.execPath, [join(root, "scripts", "craft-demo.mjs")], { cwd: root, env: { ...env, NO_COLOR: "1" }, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("# Weekly merged-PR digest for Slack");
    expect(run.stdout).toMatch(/state\s+done/);
    expect(run.stdout).toMatch(/crafted-prompt\.md {2}crafted-prompt {2}3\.3 kB/);
    expect(run.stdout).toMatch(/artifact-stored crafted-prompt\.md/);
    expect(run.stdout).toMatch(/^12 passed · \d+ tokens · \$0 · replay \(openai:gpt-4\.1-mini\)$/m);
    expect(run.stderr).toMatch(/^job \w+ · replay \(openai:gpt-4\.1-mini\) · 561 in \/ 798 out tokens · \$0 · \d+ ms$/m);
  });
});
