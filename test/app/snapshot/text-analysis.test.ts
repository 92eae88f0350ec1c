import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createStageClock } from "../../../src/adapters/snapshot/stage-clock";
import { loadO200kCounter } from "../../../src/app/snapshot/count-o200k-tokens";
import { openTextAnalysis } from "../../../src/app/snapshot/text-analysis";

const texts = [
  "export const answer = 42;\n",
  `const key = "-----BEGIN RSA PRIVATE KEY-----";\n`,
  "naïve café 日本語 🎉 — mixed text\n".repeat(50),
  "",
  `${"x".repeat(70_000)}\n`,
];

describe("text analysis", () => {
  it("gives the same facts on worker threads as on the main thread, and leaves the caller's bytes intact", async () => {
    const count = await loadO200kCounter();
    // Small Buffers share Node's 8 KB pool: moving one to a worker must not take its neighbours along.
    const contents = texts.map((text) => Buffer.from(text, "utf8"));
    const clock = createStageClock();
    const pool = await openTextAnalysis(0, clock, { workers: 2 });
    const facts = await Promise.all(contents.map((content, index) => pool.analyze(content, index !== 1)));
    const stages = await pool.close();

    expect(facts).toEqual(
      texts.map((text) => ({
        sha256: createHash("sha256").update(text).digest("hex"),
        tokens: count(text),
        suspicious: false, // the one pre-filter match was analysed with the pre-filter off
      })),
    );
    expect(contents.map((content) => content.toString("utf8"))).toEqual(texts);
    expect(stages.length).toBe(2); // the second started once the first had shared its rank table
    expect(Object.keys(stages.reduce((all, s) => ({ ...all, ...s }), {})).sort()).toEqual(["decode", "secret pre-filter", "sha256", "tokenize"]);
    expect(clock.totals()).toEqual({}); // nothing ran on this thread
  });

  it("flags text for the full secret rules only when the pre-filter is asked for and matches", async () => {
    const clock = createStageClock();
    const inline = await openTextAnalysis(0, clock);
    const suspicious = Buffer.from(texts[1] as string);
    expect((await inline.analyze(suspicious, true)).suspicious).toBe(true);
    expect((await inline.analyze(suspicious, false)).suspicious).toBe(false);
    expect(await inline.close()).toEqual([]);
    expect(Object.keys(clock.totals())).toContain("tokenize");
  });
});
