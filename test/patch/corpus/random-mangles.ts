import { structuredPatch } from "diff";
import { changeLine } from "./edits";
import { sourceText, sources } from "./sources";

/** A small, seedable PRNG (mulberry32): the same seed gives the same cases everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomCase {
  description: string;
  before: string;
  after: string;
  answer: string;
}

/**
 * A random real edit (1-3 places: change, insert, delete, replace) of a random real file, its
 * correct diff with 2-5 context lines, then what models do to diffs, at random: header line
 * numbers exact, a few off, or left out; trailing spaces on context; tabs written as spaces;
 * blank context lines without their space; unprefixed context; an extra blank context line.
 * Each of these leaves exactly one right answer, so the engine must give it or refuse.
 */
export function randomCase(random: () => number, iteration: number): RandomCase | undefined {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const source = pick(sources.filter((candidate) => candidate.handOnly !== true));
  const before = sourceText(source.name).replace(/\r\n/g, "\n");
  const lines = before.replace(/\n$/, "").split("\n");
  const spots = Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * lines.length)).sort((x, y) => y - x);
  const edited = [...lines];
  for (const at of spots) {
    const indent = /^[ \t]*/.exec(edited[at] ?? "")?.[0] ?? "";
    const kind = pick(["change", "insert", "delete", "replace"] as const);
    if (kind === "change") edited[at] = changeLine(edited[at] ?? "");
    else if (kind === "insert") edited.splice(at + 1, 0, `${indent}// grompt ${iteration}`);
    else if (kind === "delete") edited.splice(at, 1 + Math.floor(random() * 2));
    else edited.splice(at, 2, `${indent}// replaced ${iteration}`);
  }
  const after = edited.join("\n") + (before.endsWith("\n") ? "\n" : "");
  if (after === before) return undefined;
  const context = pick([2, 3, 3, 3, 5]);
  const header = pick(["exact", "exact", "noisy", "none"] as const);
  const whitespace = pick(["none", "none", "trailing", source.indent === "tabs" ? "tabs-as-spaces" : "none"] as const);
  const shape = pick(["none", "none", "unprefixed", "blank-unprefixed", "extra-blank"] as const);
  const hunks = structuredPatch("a", "b", before, after, undefined, undefined, { context }).hunks;
  const body = hunks.map((hunk) => {
    const start = header === "noisy" ? Math.max(1, hunk.oldStart + Math.floor(random() * 9) - 4) : hunk.oldStart;
    const head = header === "none" ? "@@ ... @@" : `@@ -${start},${hunk.oldLines} +${start},${hunk.newLines} @@`;
    const out = hunk.lines.map((line) => {
      if (line.startsWith("\\")) return line;
      const prefix = line[0] ?? " ";
      let content = line.slice(1);
      if (whitespace === "trailing" && prefix === " " && content.trim() !== "") content += "  ";
      if (whitespace === "tabs-as-spaces") content = content.replace(/^\t+/, (tabs) => "    ".repeat(tabs.length));
      if (shape === "unprefixed" && prefix === " " && /^[^\s+\-@\\`~]/.test(content)) return content;
      if (shape === "blank-unprefixed" && prefix === " " && content === "") return "";
      return prefix + content;
    });
    if (shape === "extra-blank") {
      const at = out.findIndex((line, k) => k > 0 && line.startsWith(" ") && line.trim() !== "" && (out[k - 1] ?? "").startsWith(" ") && (out[k - 1] ?? "").trim() !== "");
      if (at > 0) out.splice(at, 0, " ");
    }
    return [head, ...out].join("\n");
  });
  const answer = `\`\`\`diff\n--- a/${source.path}\n+++ b/${source.path}\n${body.join("\n")}\n\`\`\`\n`;
  return { description: `#${iteration} ${source.name} spots=${spots.join(",")} context=${context} header=${header} whitespace=${whitespace} shape=${shape}`, before, after, answer };
}
