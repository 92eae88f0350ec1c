import type { FileReport, HunkReport, PatchPlan } from "./patch-plan";
import type { PatchFailure, PatchProblem } from "./patch-problem";

/**
 * Plain text for a refused patch, written to be read by a person at a terminal and by a model in a
 * repair round alike: per problem where it is (file, hunk, answer line), the reason code, what to
 * change, the lines that are not in the file and the file's real lines nearby, numbered.
 */
export function renderPatchFailure(failure: PatchFailure): string {
  const count = failure.problems.length;
  const out = [`The patch cannot be applied (${count} problem${count === 1 ? "" : "s"}):`];
  for (const problem of failure.problems) out.push("", ...renderProblem(problem));
  return `${out.join("\n")}\n`;
}

function renderProblem(problem: PatchProblem): string[] {
  const place = [problem.path, problem.hunk === undefined ? undefined : `hunk ${problem.hunk}`].filter((part) => part !== undefined).join(", ");
  const origin = [problem.answerLine === undefined ? undefined : `answer line ${problem.answerLine}`, problem.header].filter((part) => part !== undefined).join(": ");
  const lines: string[] = [];
  if (place !== "" || origin !== "") lines.push(`${place}${origin === "" ? "" : ` (${origin})`}`);
  lines.push(`  [${problem.reason}] ${problem.message}`);
  if (problem.missing !== undefined && problem.missing.length > 0) {
    lines.push("  lines of the hunk that are not in the file:");
    for (const missing of problem.missing) lines.push(`    answer ${String(missing.answerLine).padStart(4)} | ${missing.text}`);
  }
  if (problem.nearest !== undefined) {
    lines.push(`  the file's lines ${problem.nearest.startLine}-${problem.nearest.endLine}, where the hunk fits best:`);
    const width = String(problem.nearest.endLine).length;
    for (const line of problem.nearest.lines) lines.push(`    ${String(line.line).padStart(Math.max(width, 4))} | ${line.text}`);
  }
  if (problem.candidates !== undefined) lines.push(`  it fits at lines: ${problem.candidates.join(", ")}`);
  return lines;
}

/** One line per file and how each hunk was placed: `M src/a.ts  +3 -1  hunk 1 exact, hunk 2 offset +4`. */
export function renderPatchPlan(plan: PatchPlan): string {
  const lines = plan.files.map(renderFile);
  const { files, hunks, added, removed } = plan.stats;
  lines.push(`${hunks} hunk${hunks === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}, +${added} -${removed}`);
  return `${lines.join("\n")}\n`;
}

const operationLetters: Record<FileReport["operation"], string> = { modify: "M", create: "A", delete: "D", rename: "R", copy: "C" };

function renderFile(file: FileReport): string {
  const added = file.hunks.reduce((sum, hunk) => sum + hunk.added, 0);
  const removed = file.hunks.reduce((sum, hunk) => sum + hunk.removed, 0);
  const name = file.fromPath === undefined ? file.path : `${file.fromPath} → ${file.path}`;
  const mode = file.mode === undefined ? "" : ` mode ${file.mode}`;
  const placed = file.hunks.filter((hunk) => hunk.strategy !== "new-file" && hunk.strategy !== "deleted-file").map(renderHunk);
  const notes = file.notes.map((note) => ` (${note})`).join("");
  return `${operationLetters[file.operation]} ${name}  +${added} -${removed}${mode}${placed.length > 0 ? `  ${placed.join(", ")}` : ""}${notes}`;
}

function renderHunk(hunk: HunkReport): string {
  const offset = hunk.offset === null || hunk.offset === 0 ? "" : ` ${hunk.offset > 0 ? "+" : ""}${hunk.offset}`;
  const fuzz = hunk.fuzz === 0 ? "" : ` fuzz ${hunk.fuzz}`;
  const reindented = hunk.reindented ? " reindented" : "";
  return `hunk ${hunk.hunk} ${hunk.strategy}${offset}${fuzz}${reindented} @${hunk.line}`;
}
