import { createReadStream } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildPromptContext } from "../../../src/app/snapshot/build-prompt-context";
import { loadO200kCounter } from "../../../src/app/snapshot/count-o200k-tokens";
import { importSpecifiers, resolveImport } from "../../../src/app/snapshot/import-graph";
import { parseInstruction } from "../../../src/app/snapshot/instruction-terms";
import { planPromptContext } from "../../../src/app/snapshot/plan-prompt-context";
import { type FileFeatures, rankFiles } from "../../../src/app/snapshot/rank-files";
import { cleanupTrees, snapshotPort, tempDir, writeTree } from "../../support/snapshot-fixtures";

beforeAll(() => vi.stubEnv("GIT_CONFIG_GLOBAL", "/dev/null"));
afterAll(() => {
  vi.unstubAllEnvs();
  cleanupTrees();
});

describe("instruction terms", () => {
  it("finds paths, file names, identifiers and words", () => {
    const terms = parseInstruction("Extract the retry loop in src/net/http-client.ts into `withRetry`; keep parseHttpResponse and MAX_RETRIES. See utils.py and lib/net/.");
    expect(terms.mentions).toEqual(["src/net/http-client.ts", "utils.py", "lib/net"]);
    expect(terms.identifiers).toEqual(expect.arrayContaining(["withRetry", "parseHttpResponse", "MAX_RETRIES"]));
    expect(terms.words).toEqual(expect.arrayContaining(["retry", "loop", "http", "client", "parse", "response", "retries"]));
    expect(terms.words).not.toEqual(expect.arrayContaining(["the", "into", "extract"]));
  });
});

describe("import neighbours", () => {
  const paths = new Set(["src/a.ts", "src/b.ts", "src/lib/index.ts", "src/c.tsx", "pkg/mod.py", "pkg/__init__.py", "pkg/sub/util.py"]);
  it("resolves relative JavaScript/TypeScript and Python imports to snapshot paths", () => {
    const text = 'import { b } from "./b.js";\nimport lib from "./lib";\nconst c = require("./c");\nimport x from "react";\nexport * from "../outside";\n';
    const resolved = importSpecifiers("src/a.ts", text).map((s) => resolveImport("src/a.ts", s, paths));
    expect(resolved).toEqual(["src/b.ts", "src/lib/index.ts", undefined, undefined, "src/c.tsx"]);
    expect(importSpecifiers("pkg/sub/util.py", "from ..mod import thing\nimport pkg.mod\n").map((s) => resolveImport("pkg/sub/util.py", s, paths))).toEqual(["pkg/mod.py", "pkg/mod.py"]);
  });
});

const features = (path: string, tokens: number, extra: Partial<FileFeatures> = {}): FileFeatures => ({ path, tokens, identifierHits: 0, wordHits: 0, imports: [], ...extra });

describe("ranking and planning", () => {
  const files = [
    features("src/http/retry.ts", 400, { identifierHits: 3, imports: ["src/http/backoff.ts"] }),
    features("src/http/backoff.ts", 300),
    features("src/http/client.ts", 500, { imports: ["src/http/retry.ts"] }),
    features("src/app.ts", 200, { wordHits: 2 }),
    features("src/unrelated.ts", 100),
    features("README.md", 150),
    features("docs/huge.md", 50_000, { wordHits: 40 }),
    { ...features("link", 0), link: true },
  ];
  const terms = parseInstruction("make withRetry in src/app.ts use exponential backoff for retry");
  const costs = { header: 20, framing: () => 10, pathLine: () => 5 };

  it("puts named files first, then relevance with import neighbours, then the rest", () => {
    const ranked = rankFiles(files, terms);
    expect(ranked.map((f) => [f.path, f.tier])).toEqual([
      ["src/app.ts", "named"],
      ["src/http/retry.ts", "relevant"],
      ["src/http/backoff.ts", "relevant"],
      ["src/http/client.ts", "relevant"],
      ["docs/huge.md", "relevant"],
      ["README.md", "other"],
      ["link", "other"],
      ["src/unrelated.ts", "other"],
    ]);
    expect(ranked.find((f) => f.path === "src/http/client.ts")?.reasons).toContain("imports src/http/retry.ts");
  });

  it("sends everything when everything fits", () => {
    const small = files.filter((f) => f.path !== "docs/huge.md");
    const plan = planPromptContext(rankFiles(small, terms), 10_000, costs);
    expect(plan.files.map((f) => f.why)).toEqual(Array(6).fill("all-fit"));
    expect(plan.pathsOnly).toEqual(["link"]);
    expect(plan.leftOut).toEqual([]);
  });

  it("never cuts a file: skips what does not fit, lists the rest by path and says why", () => {
    const plan = planPromptContext(rankFiles(files, terms), 1400, costs);
    expect(plan.files.map((f) => [f.path, f.why])).toEqual([
      ["src/app.ts", "named"],
      ["src/http/retry.ts", "relevant"],
      ["src/http/backoff.ts", "relevant"],
    ]);
    expect(plan.estimatedTokens).toBe(20 + 210 + 410 + 310 + 5 * 5);
    const leftOut = Object.fromEntries(plan.leftOut.map((f) => [f.path, [f.reason, f.listed]]));
    expect(leftOut).toEqual({
      "docs/huge.md": ["over-budget", true],
      "src/http/client.ts": ["over-budget", true],
      "README.md": ["not-relevant", true],
      link: ["link", true],
      "src/unrelated.ts": ["not-relevant", true],
    });
  });

  it("reports a named file that alone exceeds the budget", () => {
    const plan = planPromptContext(rankFiles([features("big.ts", 5000), features("small.ts", 10)], parseInstruction("fix big.ts")), 1000, costs);
    expect(plan.files).toEqual([]);
    expect(plan.leftOut[0]).toMatchObject({ path: "big.ts", reason: "over-budget" });
  });
});

describe("buildPromptContext", () => {
  it("fits a snapshot into a budget, whole files only, and counts the result exactly", async () => {
    const root = tempDir();
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `export const value${i} = ${i};`).join("\n");
    writeTree(root, {
      "src/retry.ts": `import { backoff } from "./backoff";\nexport function withRetry() { return backoff(); }\n`,
      "src/backoff.ts": "export const backoff = () => 1;\n",
      "src/big.ts": `${filler(400)}\n// withRetry is mentioned here\n`,
      "src/other.ts": filler(50),
      "README.md": "# project\n",
    });
    const port = snapshotPort();
    const snapshot = await port.take({ root, outDir: join(tempDir(), "out") });
    const count = await loadO200kCounter();
    const context = await buildPromptContext(
      { instruction: "change withRetry in retry.ts", provider: "openai", maxTokens: 800, snapshot, openLatx: () => createReadStream(snapshot.outputs.latx) },
      { snapshots: port },
    );
    expect(context.tokens).toBe(count(context.text));
    expect(context.tokens).toBeLessThanOrEqual(800);
    expect(context.plan.files.map((f) => f.path)).toEqual(["src/retry.ts", "src/backoff.ts"]);
    expect(context.text).toContain("export function withRetry() { return backoff(); }\n");
    expect(context.text).not.toContain("value399");
    expect(context.plan.pathsOnly).toEqual(expect.arrayContaining(["src/big.ts", "README.md"]));
    expect(context.plan.leftOut.find((f) => f.path === "src/big.ts")?.reason).toBe("over-budget");

    const anthropic = await buildPromptContext(
      { instruction: "change withRetry in retry.ts", provider: "anthropic", maxTokens: 100_000, snapshot, openLatx: () => createReadStream(snapshot.outputs.latx) },
      { snapshots: port },
    );
    expect(anthropic.plan.files).toHaveLength(5);
    expect(anthropic.tokens).toBe(Math.ceil(count(anthropic.text) * 1.25));
  });
});
