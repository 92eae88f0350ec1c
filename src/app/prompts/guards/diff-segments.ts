/** A run of answer lines that should hold a diff, with the 1-based answer line of its first line. */
export interface DiffSegment {
  firstLine: number;
  lines: string[];
  /** Inside a ```diff fence: every line must be diff syntax. Bare: prose may surround the diff. */
  fenced: boolean;
}

const fenceOpen = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const diffInfo = new Set(["diff", "patch", "udiff"]);
const fileHeader = /^(---|\+\+\+) |^diff --git /;

/**
 * Where the diff is in a model's answer: the ```diff (or ```patch) fences when there are any, else
 * plain fences that hold file headers, else the whole answer read leniently.
 */
export function diffSegments(answer: string): DiffSegment[] {
  const lines = answer.replace(/\r\n/g, "\n").split("\n");
  const fences = findFences(lines);
  const tagged = fences.filter((fence) => diffInfo.has(fence.info.toLowerCase()));
  if (tagged.length > 0) return tagged.map((fence) => toSegment(fence, lines));
  const untagged = fences.filter((fence) => lines.slice(fence.start, fence.end).some((line) => fileHeader.test(line)));
  if (untagged.length > 0) return untagged.map((fence) => toSegment(fence, lines));
  return [{ firstLine: 1, lines, fenced: false }];
}

interface Fence {
  info: string;
  /** Index of the first content line and one past the last. */
  start: number;
  end: number;
}

function findFences(lines: readonly string[]): Fence[] {
  const fences: Fence[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = fenceOpen.exec(lines[index] ?? "");
    if (open === null) continue;
    const [, indent = "", marker = "```", info = ""] = open;
    // Only the opener's exact indentation and marker close it: a context line " ```" of a Markdown
    // file inside the diff starts with a space and must not end the fence.
    const closer = `${indent}${marker}`;
    let end = index + 1;
    while (end < lines.length && lines[end]?.trimEnd() !== closer) end++;
    fences.push({ info, start: index + 1, end });
    index = end;
  }
  return fences;
}

const toSegment = (fence: Fence, lines: readonly string[]): DiffSegment => ({
  firstLine: fence.start + 1,
  lines: lines.slice(fence.start, fence.end),
  fenced: true,
});
