import { describe, expect, it } from "vitest";
import { planPatch, type PatchTree } from "../../src/app/patch";
import { randomCase, seededRandom } from "./corpus/random-mangles";

/** The one file of a case, in memory: the property is about placement, not the disk. */
const treeOf = (path: string, text: string): PatchTree => ({
  root: "/virtual",
  inspect: async (asked) => (asked === path ? { kind: "file", bytes: Buffer.from(text), mode: 0o644 } : { kind: "missing" }),
});

describe("randomly mangled diffs of random real edits (seeded)", () => {
  it("are applied to exactly the intended bytes or refused — never applied wrongly", async () => {
    const random = seededRandom(20251125);
    const tally = { correct: 0, refused: 0, wrong: [] as string[] };
    for (let iteration = 0; iteration < 1200; iteration += 1) {
      const generated = randomCase(random, iteration);
      if (generated === undefined) continue;
      const path = /^--- a\/(.+)$/m.exec(generated.answer)?.[1] ?? "";
      const outcome = await planPatch({ root: "/virtual", text: generated.answer }, { tree: treeOf(path, generated.before) });
      if (!outcome.ok) {
        tally.refused += 1;
        continue;
      }
      const after = Buffer.from(outcome.plan.changes[0]?.after?.bytes ?? Buffer.from(generated.before)).toString("utf8");
      if (after === generated.after) tally.correct += 1;
      else tally.wrong.push(generated.description);
    }
    console.log(`random mangles: ${tally.correct} applied exactly, ${tally.refused} refused, ${tally.wrong.length} wrong`);
    expect(tally.wrong).toEqual([]);
    expect(tally.correct).toBeGreaterThan(tally.refused * 5);
  });
});
