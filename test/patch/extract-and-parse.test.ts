import { describe, expect, it } from "vitest";
import { extractDiffBlocks } from "../../src/app/patch/extract-diff-blocks";
import { parseDiffText } from "../../src/app/patch/parse-diff-text";
import { parseHunkHeader } from "../../src/app/patch/parse-hunk-header";
import type { DiffBlock } from "../../src/app/patch/parsed-diff";

const bare = (text: string): DiffBlock => ({ text, startLine: 1, fenced: false });
const fencedBlock = (text: string): DiffBlock => ({ text, startLine: 1, fenced: true });

describe("extractDiffBlocks", () => {
  it("finds ```diff and ```patch fences, skips prose and code blocks that are not diffs", () => {
    const answer = [
      "Some prose.",
      "```ts",
      "const x = 1;",
      "```",
      "```diff",
      "--- a/x.ts",
      "+++ b/x.ts",
      "```",
      "more prose",
      "~~~patch",
      "@@ -1 +1 @@",
      "~~~",
    ].join("\n");
    const blocks = extractDiffBlocks(answer);
    expect(blocks.map((block) => [block.startLine, block.fenced, block.text])).toEqual([
      [6, true, "--- a/x.ts\n+++ b/x.ts"],
      [11, true, "@@ -1 +1 @@"],
    ]);
  });

  it("takes a fence of another language when its content is a diff, and bare diffs in prose", () => {
    const blocks = extractDiffBlocks("Intro\n```typescript\n@@ -1 +1 @@\n-a\n+b\n```\nthen\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-c\n+d\n");
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.fenced).toBe(true);
    expect(blocks[1]).toMatchObject({ fenced: false, startLine: 7 });
  });

  it("does not close a fence on a diff line of a Markdown file, and strips a list item's indentation", () => {
    const blocks = extractDiffBlocks("1. step\n\n   ```diff\n   --- a/r.md\n   +++ b/r.md\n   @@ -1,2 +1,2 @@\n    ```sh\n   -npm i\n   +pnpm i\n   ```\n");
    expect(blocks[0]?.text).toBe("--- a/r.md\n+++ b/r.md\n@@ -1,2 +1,2 @@\n ```sh\n-npm i\n+pnpm i");
  });

  it("reads the file name from the fence's info string and keeps an unclosed fence", () => {
    expect(extractDiffBlocks("```diff src/a.ts\n@@ -1 +1 @@\n-a\n+b")[0]).toMatchObject({ pathHint: "src/a.ts", text: "@@ -1 +1 @@\n-a\n+b" });
  });
});

describe("parseHunkHeader", () => {
  it.each([
    ["@@ -12,7 +12,8 @@ function x() {", { oldStart: 12, oldCount: 7, newStart: 12, newCount: 8 }],
    ["@@ -12 +13 @@", { oldStart: 12, oldCount: 1, newStart: 13, newCount: 1 }],
    ["@@ -0,0 +1,3 @@", { oldStart: 0, oldCount: 0, newStart: 1, newCount: 3 }],
    ["@@ -4,2 +4,3", { oldStart: 4, oldCount: 2, newStart: 4, newCount: 3 }],
    ["@@ ... @@", {}],
    ["@@", {}],
  ])("reads %s", (line, header) => {
    expect(parseHunkHeader(line)).toEqual(header);
  });

  it("is null for anything else", () => {
    expect(parseHunkHeader(" @@ -1 +1 @@")).toBeNull();
  });
});

describe("parseDiffText", () => {
  it("reads a git diff with extended headers, counts and a no-newline marker", () => {
    const { files, problems } = parseDiffText(
      bare("diff --git a/src/a.ts b/src/a.ts\nindex 1..2 100644\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n keep\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n"),
    );
    expect(problems).toEqual([]);
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file?.oldPath).toEqual({ raw: "a/src/a.ts", stripped: "src/a.ts" });
    expect(file?.hunks[0]).toMatchObject({ oldStart: 1, oldCount: 2, oldEndsWithoutNewline: true, newEndsWithoutNewline: true });
    expect(file?.hunks[0]?.lines.map((line) => [line.kind, line.text, line.answerLine])).toEqual([
      ["context", "keep", 6],
      ["remove", "old", 7],
      ["add", "new", 9],
    ]);
  });

  it("ignores wrong counts, keeps blank context lines that lost their space, drops trailing blank lines", () => {
    const { files } = parseDiffText(bare("--- x.py\n+++ x.py\n@@ -1,9 +1,1 @@\n def f():\n\n-    return 1\n+    return 2\n\n\nThat was the change.\n"));
    expect(files[0]?.hunks[0]?.lines.map((line) => `${line.kind}:${line.text}`)).toEqual(["context:def f():", "context:", "remove:    return 1", "add:    return 2"]);
    expect(files[0]?.oldPath).toEqual({ raw: "x.py", stripped: "x.py" });
  });

  it("uses correct counts to read a removed '-- ' line that looks like a file header", () => {
    const { files } = parseDiffText(bare("--- a/q.sql\n+++ b/q.sql\n@@ -1,3 +1,3 @@\n select 1;\n--- old comment\n+++ new comment\n select 2;\n"));
    expect(files).toHaveLength(1);
    expect(files[0]?.hunks[0]?.lines.map((line) => `${line.kind}:${line.text}`)).toEqual(["context:select 1;", "remove:-- old comment", "add:++ new comment", "context:select 2;"]);
  });

  it("takes unprefixed lines inside a ```diff fence as context, but ends a bare hunk at prose", () => {
    const text = "--- a/x\n+++ b/x\n@@ ... @@\nfunction f() {\n-  a()\n+  b()\n }";
    expect(parseDiffText(fencedBlock(text)).files[0]?.hunks[0]?.lines).toHaveLength(4);
    expect(parseDiffText(bare(text)).files[0]?.hunks[0]?.lines).toHaveLength(0);
  });

  it("reads renames, copies, modes, new and deleted files, quoted names and timestamps", () => {
    const { files } = parseDiffText(
      bare(
        [
          "diff --git a/old.ts b/new.ts",
          "similarity index 90%",
          "rename from old.ts",
          "rename to new.ts",
          "diff --git a/run.sh b/run.sh",
          "old mode 100644",
          "new mode 100755",
          "diff --git a/gone.ts b/gone.ts",
          "deleted file mode 100644",
          'diff --git "a/my file.md" "b/my file.md"',
          "new file mode 100644",
          "--- /dev/null",
          '+++ "b/my file.md"',
          "@@ -0,0 +1 @@",
          "+hello",
          "--- a/t.txt\t2025-01-01 10:00:00.000000000 +0100",
          "+++ b/t.txt\t2025-01-02 10:00:00.000000000 +0100",
          "@@ -1 +1 @@",
          "-a",
          "+b",
        ].join("\n"),
      ),
    );
    expect(files.map((file) => [file.oldPath?.stripped ?? null, file.newPath?.stripped ?? null])).toEqual([
      ["old.ts", "new.ts"],
      ["run.sh", "run.sh"],
      ["gone.ts", "gone.ts"],
      [null, "my file.md"],
      ["t.txt", "t.txt"],
    ]);
    expect(files[0]).toMatchObject({ renameFrom: { stripped: "old.ts" }, renameTo: { stripped: "new.ts" } });
    expect(files[1]).toMatchObject({ oldMode: "100644", newMode: "100755" });
    expect(files[2]).toMatchObject({ isDeleted: true });
    expect(files[3]).toMatchObject({ isNew: true });
  });

  it("marks binary patches and reports hunks with no file header", () => {
    expect(parseDiffText(bare("diff --git a/i.png b/i.png\nBinary files a/i.png and b/i.png differ\n")).files[0]?.isBinary).toBe(true);
    expect(parseDiffText(bare("GIT binary patch\nliteral 1\nA\n")).files[0]?.isBinary).toBe(true);
    const { problems } = parseDiffText(bare("@@ -1 +1 @@\n-a\n+b\n"));
    expect(problems).toEqual([expect.objectContaining({ reason: "hunk-without-file", answerLine: 1 })]);
  });
});
