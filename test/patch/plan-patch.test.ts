import { afterEach, describe, expect, it } from "vitest";
import { planPatch, renderPatchFailure, type PatchOutcome } from "../../src/app/patch";
import { makeTempRepo, type TempRepo } from "./support/temp-repo";

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repo(files: Record<string, string | Uint8Array>): TempRepo {
  const made = makeTempRepo(files, { git: false });
  repos.push(made);
  return made;
}

const lines = (...text: string[]): string => `${text.join("\n")}\n`;
const source = lines("export function add(a, b) {", "  return a + b;", "}", "", "export function sub(a, b) {", "  return a - b;", "}");

function failure(outcome: PatchOutcome) {
  if (outcome.ok) throw new Error("expected the patch to be refused");
  return outcome.failure;
}

describe("planPatch", () => {
  it("plans every file's new bytes in memory and writes nothing", async () => {
    const tree = repo({ "src/math.js": source });
    const outcome = await planPatch({ root: tree.root, text: "```diff\n--- a/src/math.js\n+++ b/src/math.js\n@@ -5,3 +5,3 @@\n export function sub(a, b) {\n-  return a - b;\n+  return a - b + 0;\n }\n```" });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(tree.read("src/math.js")).toBe(source);
    expect(outcome.plan.changes).toHaveLength(1);
    expect(Buffer.from(outcome.plan.changes[0]?.after?.bytes ?? []).toString()).toBe(source.replace("return a - b;", "return a - b + 0;"));
    expect(outcome.plan.files[0]).toMatchObject({ path: "src/math.js", operation: "modify", hunks: [{ hunk: 1, strategy: "exact", line: 5, hintLine: 5, offset: 0, fuzz: 0, added: 1, removed: 1 }] });
    expect(outcome.plan.stats).toEqual({ files: 1, hunks: 1, added: 1, removed: 1, strategies: { exact: 1 } });
  });

  it("keeps CRLF endings, a missing final newline and a byte-order mark", async () => {
    const crlf = "\uFEFFa\r\nb\r\nc";
    const tree = repo({ "w.txt": crlf });
    const outcome = await planPatch({ root: tree.root, text: "--- a/w.txt\n+++ b/w.txt\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n" });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(Buffer.from(outcome.plan.changes[0]?.after?.bytes ?? []).toString()).toBe("\uFEFFa\r\nB\r\nc\r\nd");
  });

  it("reports every problem of every file, per hunk, with missing and nearest lines", async () => {
    const tree = repo({ "src/math.js": source, "src/other.js": "export const x = 1;\n" });
    const answer = [
      "```diff",
      "--- a/src/math.js",
      "+++ b/src/math.js",
      "@@ -1,3 +1,3 @@",
      " export function add(a, b) {",
      "-  return a + b;",
      "+  return b + a;",
      " }",
      "@@ -5,3 +5,3 @@",
      " export function mul(a, b) {",
      "-  return a * b;",
      "+  return b * a;",
      " }",
      "--- a/src/missing.js",
      "+++ b/src/missing.js",
      "@@ -1 +1 @@",
      "-x",
      "+y",
      "```",
    ].join("\n");
    const refused = failure(await planPatch({ root: tree.root, text: answer }));
    expect(refused.code).toBe("patch_not_applicable");
    expect(refused.problems.map((problem) => [problem.reason, problem.path, problem.hunk])).toEqual([
      ["context-not-found", "src/math.js", 2],
      ["file-missing", "src/missing.js", undefined],
    ]);
    const [notFound] = refused.problems;
    expect(notFound).toMatchObject({ header: "@@ -5,3 +5,3 @@", answerLine: 9 });
    expect(notFound?.missing).toEqual([
      { text: "export function mul(a, b) {", answerLine: 10 },
      { text: "  return a * b;", answerLine: 11 },
    ]);
    expect(notFound?.nearest?.lines.map((line) => line.line)).toContain(6);
    expect(refused.message).toMatch(/^src\/math\.js hunk 2: 2 of the hunk's 3 .* \(and 1 more problem\)$/);
    const text = renderPatchFailure(refused);
    expect(text).toContain("src/math.js, hunk 2 (answer line 9: @@ -5,3 +5,3 @@)");
    expect(text).toContain("[file-missing]");
    expect(text).toContain("       6 |   return a - b;");
  });

  it("applies diffs of the same file in the order the answer gives them, and skips a restated change", async () => {
    const tree = repo({ "m.js": source });
    const first = "```diff\n--- a/m.js\n+++ b/m.js\n@@ -1,3 +1,3 @@\n export function add(a, b) {\n-  return a + b;\n+  return a + b + 1;\n }\n```\n";
    const second = "```diff\n--- a/m.js\n+++ b/m.js\n@@ -1,3 +1,3 @@\n export function add(a, b) {\n-  return a + b + 1;\n+  return a + b + 2;\n }\n```\n";
    const outcome = await planPatch({ root: tree.root, text: `${first}then\n${second}and the key change once more:\n${second}` });
    expect(outcome.ok && Buffer.from(outcome.plan.changes[0]?.after?.bytes ?? []).toString()).toBe(source.replace("a + b;", "a + b + 2;"));
    const restated = await planPatch({ root: tree.root, text: `${first}\nThe key line:\n${first.replace("@@ -1,3 +1,3 @@\n export function add(a, b) {\n", "@@ ... @@\n")}` });
    expect(restated.ok && restated.plan.files.map((file) => file.notes)).toEqual([[], ["skipped: repeats a change an earlier diff in the answer already made"]]);
  });

  it.each([
    ["", "input-empty", "no_diff_found"],
    [" \n\t\n", "input-empty", "no_diff_found"],
    ["Just rename the variable.", "no-diff-found", "no_diff_found"],
    ["```js\nconst whole = 'file';\n```", "no-diff-found", "no_diff_found"],
    ["--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", "path-parent", "patch_not_applicable"],
    ["--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-a\n+b\n", "path-absolute", "patch_not_applicable"],
    ["--- a/.git/config\n+++ b/.git/config\n@@ -1 +1 @@\n-a\n+b\n", "path-git-dir", "patch_not_applicable"],
    ["--- a/sub/.GIT/HEAD\n+++ b/sub/.GIT/HEAD\n@@ -1 +1 @@\n-a\n+b\n", "path-git-dir", "patch_not_applicable"],
    ["--- a/src\n+++ b/src\n@@ -1 +1 @@\n-a\n+b\n", "path-is-directory", "patch_not_applicable"],
    ["--- /dev/null\n+++ b/src/math.js\n@@ -0,0 +1 @@\n+x\n", "file-exists", "patch_not_applicable"],
  ])("refuses %j (%s)", async (text, reason, code) => {
    const tree = repo({ "src/math.js": source });
    const refused = failure(await planPatch({ root: tree.root, text }));
    expect(refused.code).toBe(code);
    expect(refused.problems[0]?.reason).toBe(reason);
  });

  it("refuses bytes that are not UTF-8, naming the first bad byte", async () => {
    const tree = repo({ "a.txt": "a\n" });
    const bytes = Buffer.concat([Buffer.from("--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+caf"), Buffer.from([0xe9, 0x0a])]);
    const refused = failure(await planPatch({ root: tree.root, text: bytes }));
    expect(refused.problems[0]).toMatchObject({ reason: "input-not-utf8", message: `The answer is not valid UTF-8 (first bad byte at offset ${bytes.length - 2}).` });
  });

  it("refuses a 50 MB answer before reading it as a diff", async () => {
    const tree = repo({ "a.txt": "a\n" });
    const huge = `--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+${"b".repeat(50 * 1024 * 1024)}\n`;
    const refused = failure(await planPatch({ root: tree.root, text: huge }));
    expect(refused.problems[0]).toMatchObject({ reason: "input-too-large", message: "The answer is larger than 10.0 MiB, the most the patch engine reads." });
  });
});
