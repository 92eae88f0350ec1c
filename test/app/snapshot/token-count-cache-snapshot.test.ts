import { join } from "node:path";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { createLookatniSnapshot } from "../../../src/adapters/snapshot/create-lookatni-snapshot";
import { createTokenCountCache } from "../../../src/adapters/snapshot/token-count-cache";
import { o200kCounterId } from "../../../src/app/snapshot/count-o200k-tokens";
import { openTextAnalysis } from "../../../src/app/snapshot/text-analysis";
import type { SnapshotResult } from "../../../src/core/ports/snapshot-port";
import { git, initRepo, readOutputs, tempDir, writeTree, useIsolatedGitTrees } from "../../support/snapshot-fixtures";

useIsolatedGitTrees();

/** The snapshot port as the container builds it, with a token count cache in `home`. */
const cachedPort = (home: string, workers: number) =>
  createLookatniSnapshot({
    openTextAnalysis: (bytes, clock, known) => openTextAnalysis(bytes, clock, { known, workers }),
    tokenCounts: createTokenCountCache({ path: join(home, "token-counts.bin"), tokenizer: o200kCounterId() }),
  });

// Assembled at run time so no real-looking token sits in the repository.
const githubToken = `ghp_${"aB3dE6gH9j".repeat(4).slice(0, 36)}`;

function repo(): string {
  const root = initRepo(tempDir());
  writeTree(root, {
    "README.md": "# cached\n\nnaïve café 日本語 🎉\r\n",
    "src/a.ts": "export const a = 1;\n".repeat(200),
    "src/b.ts": "export function b(x: number): number {\n  return x * 2;\n}\n",
    "src/config.ts": `export const token = "${githubToken}";\n`,
    "copy-of-a.ts": "export const a = 1;\n".repeat(200),
  });
  git(root, ["add", "."]);
  return root;
}

const stageNames = (result: SnapshotResult) => result.stages?.map((stage) => stage.stage) ?? [];
const expectExactCounts = (result: SnapshotResult, texts: Record<string, string>) => {
  for (const [path, text] of Object.entries(texts)) expect(result.tokens.byPath.get(path), path).toBe(countTokens(text, { disallowedSpecial: new Set() }));
};

describe("snapshots with a token count cache", () => {
  for (const workers of [0, 2]) {
    it(`count each content once, whatever runs after, with identical outputs (${workers} workers)`, async () => {
      const root = repo();
      const home = tempDir();
      const cold = await cachedPort(home, workers).take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });
      const warm = await cachedPort(home, workers).take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });
      const uncached = await cachedPort(tempDir(), workers).take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });

      expect(stageNames(cold)).toContain("tokenize");
      expect(stageNames(warm)).not.toContain("tokenize"); // every count came from the cache (redacted file included)
      expect(stageNames(warm)).toContain("token count cache");
      for (const other of [warm, uncached]) {
        expect(readOutputs(join(other.outputs.latx, ".."))).toEqual(readOutputs(join(cold.outputs.latx, "..")));
        expect([...other.tokens.byPath]).toEqual([...cold.tokens.byPath]);
        expect(other.tokens.total).toBe(cold.tokens.total);
      }
      expect(cold.redactions.map((r) => r.path)).toEqual(["src/config.ts"]);

      // One file changes: only it is counted again, exactly.
      writeTree(root, { "src/b.ts": "export function b(x: number): string {\n  return `${x}`.repeat(3);\n}\n" });
      const changed = await cachedPort(home, workers).take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });
      expect(stageNames(changed)).toContain("tokenize");
      expectExactCounts(changed, {
        "src/b.ts": "export function b(x: number): string {\n  return `${x}`.repeat(3);\n}\n",
        "src/a.ts": "export const a = 1;\n".repeat(200),
        "README.md": "# cached\n\nnaïve café 日本語 🎉\r\n",
        "src/config.ts": 'export const token = "[REDACTED:github]";\n',
      });
    });
  }

  it("never lets a cached count hide a secret: block mode still stops on the second run", async () => {
    const root = repo();
    const home = tempDir();
    await cachedPort(home, 0).take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });
    await expect(cachedPort(home, 0).take({ root, outDir: join(tempDir(), "out") })).rejects.toMatchObject({ code: "secret_detected" });
    await expect(cachedPort(home, 2).take({ root, outDir: join(tempDir(), "out") })).rejects.toMatchObject({ code: "secret_detected" });
  });
});
