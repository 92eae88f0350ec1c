import type { DiffBlock } from "./parsed-diff";

const diffLanguages = new Set(["diff", "patch", "udiff", "git", "gitdiff", "unified-diff"]);
const openingFence = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$/;

/**
 * Finds every diff in a model answer: ```diff / ```patch fences, other fences whose content is a
 * diff, and bare diffs in the prose around them. Fences holding code that is not a diff are
 * skipped, so a "here is the whole file" block is never mistaken for a patch.
 */
export function extractDiffBlocks(answer: string): DiffBlock[] {
  const lines = answer.replace(/\r\n?/g, "\n").split("\n");
  const blocks: DiffBlock[] = [];
  let prose: string[] = [];
  let proseStart = 1;
  const flushProse = (): void => {
    const text = prose.join("\n");
    if (looksLikeDiff(prose)) blocks.push({ text, startLine: proseStart, fenced: false });
    prose = [];
  };

  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? "";
    const open = openingFence.exec(line);
    if (open === null) {
      if (prose.length === 0) proseStart = index + 1;
      prose.push(line);
      index += 1;
      continue;
    }
    flushProse();
    const indent = open[1]?.length ?? 0;
    const fence = open[2] ?? "```";
    const info = open[3] ?? "";
    const body: string[] = [];
    let cursor = index + 1;
    while (cursor < lines.length && !isClosingFence(lines[cursor] ?? "", fence, indent)) {
      body.push(stripIndent(lines[cursor] ?? "", indent));
      cursor += 1;
    }
    const language = info.split(/[\s:]/)[0]?.toLowerCase() ?? "";
    if (diffLanguages.has(language) || looksLikeDiff(body)) {
      const block: DiffBlock = { text: body.join("\n"), startLine: index + 2, fenced: true, pathHint: pathFromInfo(info, language) };
      if (cursor < lines.length && continuesDiff(lines, cursor + 1)) block.closedEarlyAt = cursor + 1;
      blocks.push(block);
    }
    index = cursor + 1;
    proseStart = index + 1;
  }
  flushProse();
  return blocks;
}

/** A diff has a hunk header, a `diff --git` line, or a `---` line followed by a `+++` line. */
export function looksLikeDiff(lines: readonly string[]): boolean {
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    if (line.startsWith("@@") || line.startsWith("diff --git ")) return true;
    if (line.startsWith("--- ") && (lines[i + 1] ?? "").startsWith("+++ ")) return true;
  }
  return false;
}

/**
 * Diff lines right after a closing fence mean the fence was a line of the diff that lost its
 * prefix (a Markdown file's "```"): the rest of the hunk would be silently dropped. Prose, a new
 * `--- a/` header, or a run of "- " bullets is not a continuation.
 */
function continuesDiff(lines: readonly string[], start: number): boolean {
  const first = lines[start] ?? "";
  if (first === "" || first.startsWith("---") || first.startsWith("+++ ")) return false;
  if (first.startsWith("+") || first.startsWith(" ") || first.startsWith("@@") || /^-(\S|$)/.test(first)) return true;
  if (!first.startsWith("- ")) return false;
  for (let index = start + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? "";
    if (line === "" || line.startsWith("```") || line.startsWith("~~~")) return false;
    if (line.startsWith("+") || line.startsWith(" ")) return true;
  }
  return false;
}

function isClosingFence(line: string, fence: string, indent: number): boolean {
  const match = /^( *)(`{3,}|~{3,})[ \t]*$/.exec(line);
  if (match === null) return false;
  const marker = match[2] ?? "";
  // A diff of a Markdown file holds fences too, but always behind a prefix (" ```"), so a closing
  // fence may not be indented deeper than the opening one.
  return (match[1]?.length ?? 0) <= indent && marker[0] === fence[0] && marker.length >= fence.length;
}

function stripIndent(line: string, indent: number): string {
  let strip = 0;
  while (strip < indent && line[strip] === " ") strip += 1;
  return line.slice(strip);
}

/** "diff src/a.ts", "diff:src/a.ts", "diff title=src/a.ts" name the file for header-less hunks. */
function pathFromInfo(info: string, language: string): string | undefined {
  const rest = info.slice(language.length).replace(/^[\s:]+/, "").trim();
  const candidate = rest.replace(/^(title|file|path|filename)=/i, "").replace(/^["']|["']$/g, "");
  return candidate !== "" && /^[^\s]+$/.test(candidate) && /[./]/.test(candidate) ? candidate : undefined;
}
