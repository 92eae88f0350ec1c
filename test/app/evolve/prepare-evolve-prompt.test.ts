import { createReadStream } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prepareEvolvePrompt } from "../../../src/app/evolve/prepare-evolve-prompt";
import { cleanupTrees, snapshotPort, tempDir, writeTree } from "../../support/snapshot-fixtures";
import { definePrompt } from "../../support/prompt-fixtures";

beforeAll(() => vi.stubEnv("GIT_CONFIG_GLOBAL", "/dev/null"));
afterAll(() => {
  vi.unstubAllEnvs();
  cleanupTrees();
});

/** A diff prompt with tight guards: short lines cost few tokens, so max_lines binds first. */
const prompt = (guards: string) =>
  definePrompt(`id: tight\nversion: "1.0.0"\npurpose: refactor\ndescription: tight guards\ntemplate: |\n  {{context}}\n  {{#each files}}{{this}}\n  {{/each}}{{#each omitted}}{{this}}\n  {{/each}}{{#each checks}}{{this}}\n  {{/each}}{{instruction}}\ninputs:\n  - name: instruction\n  - name: context\n  - { name: files, type: list, required: false }\n  - { name: omitted, type: list, required: false }\n  - { name: checks, type: list, required: false }\nguards:\n${guards}\noutput: { format: diff }\n`);

async function snapshotOf(files: Record<string, string>) {
  const root = writeTree(tempDir(), files);
  const out = tempDir();
  const port = snapshotPort();
  const snapshot = await port.take({ root, outDir: out });
  return { snapshot, openLatx: () => createReadStream(join(out, "snapshot.latx")) as AsyncIterable<Uint8Array>, port };
}

describe("prepareEvolvePrompt", () => {
  it("sends everything when it fits, with the checks the patch must pass", async () => {
    const { snapshot, openLatx, port } = await snapshotOf({ "src/a.ts": "export const a = 1;\n", "src/b.ts": "export const b = 2;\n" });
    const prepared = await prepareEvolvePrompt({ instruction: "rename a", prompt: prompt("  max_tokens: 5000"), checks: ["tsc --noEmit"], snapshot, openLatx }, { snapshots: port });
    expect(prepared.context.plan.files.map((file) => file.path).sort()).toEqual(["src/a.ts", "src/b.ts"]);
    expect(prepared.vars.omitted).toBeUndefined();
    expect(prepared.prepared.input.user).toContain("tsc --noEmit");
    expect(prepared.prepared.input.user).toContain("\u001c/ src/a.ts /\u001c//");
  });

  it("shrinks the context until the rendered input holds the line guard, naming what it left out", async () => {
    const long = (name: string) => `${Array.from({ length: 40 }, (_, i) => `export const ${name}${i} = ${i};`).join("\n")}\n`;
    const { snapshot, openLatx, port } = await snapshotOf({ "src/retry.ts": long("retry"), "src/other.ts": long("other"), "src/more.ts": long("more") });
    const prepared = await prepareEvolvePrompt({ instruction: "change src/retry.ts", prompt: prompt("  max_lines: 70\n  max_tokens: 100000"), checks: [], snapshot, openLatx }, { snapshots: port });
    expect(prepared.prepared.measure.lines).toBeLessThanOrEqual(70);
    expect(prepared.context.plan.files.map((file) => file.path)).toEqual(["src/retry.ts"]);
    expect(prepared.vars.omitted).toEqual(expect.arrayContaining(["src/other.ts", "src/more.ts"]));
  });

  it("fails with the input guard when not even one file fits", async () => {
    const { snapshot, openLatx, port } = await snapshotOf({ "src/a.ts": `${"x\n".repeat(200)}` });
    await expect(prepareEvolvePrompt({ instruction: "edit src/a.ts", prompt: prompt("  max_lines: 20"), checks: [], snapshot, openLatx }, { snapshots: port })).rejects.toMatchObject({ code: "guard_violated" });
  });
});
