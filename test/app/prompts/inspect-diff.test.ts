import { describe, expect, it } from "vitest";
import { isElisionPlaceholder } from "../../../src/app/prompts/guards/elision";
import { inspectDiff } from "../../../src/app/prompts/guards/inspect-diff";

const fence = (body: string, info = "diff") => `Here you go:\n\n\`\`\`${info}\n${body}\n\`\`\`\n`;

describe("inspectDiff", () => {
  it("reads a fenced diff without line numbers, stripping git's a/ and b/ prefixes", () => {
    const diff = inspectDiff(fence("--- a/src/a.ts\n+++ b/src/a.ts\n@@ ... @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n+const c = 4;"));
    expect(diff).toEqual({
      found: true,
      problems: [],
      files: [{ oldPath: "src/a.ts", newPath: "src/a.ts", kind: "modify", hunks: 1, added: 2, removed: 1, line: 4 }],
    });
  });

  it("reads a bare diff between prose, with numbered hunks and timestamps", () => {
    const answer = "I changed one line.\n--- src/x.py\t2024-01-01 10:00\n+++ src/x.py\t2024-01-02 10:00\n@@ -1,2 +1,2 @@\n-a = 1\n+a = 2\n b = 3\nThat is all.";
    const diff = inspectDiff(answer);
    expect(diff.problems).toEqual([]);
    expect(diff.files).toEqual([{ oldPath: "src/x.py", newPath: "src/x.py", kind: "modify", hunks: 1, added: 1, removed: 1, line: 2 }]);
  });

  it("knows new, deleted and renamed files, and several files and fences", () => {
    const answer = [
      fence("--- /dev/null\n+++ b/src/new.ts\n@@ @@\n+export const x = 1;"),
      fence("--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone"),
      fence("diff --git a/a.md b/b.md\nsimilarity index 100%\nrename from a.md\nrename to b.md"),
    ].join("\n");
    const diff = inspectDiff(answer);
    expect(diff.problems).toEqual([]);
    expect(diff.files.map((f) => [f.kind, f.oldPath, f.newPath])).toEqual([
      ["create", null, "src/new.ts"],
      ["delete", "old.txt", null],
      ["rename", "a.md", "b.md"],
    ]);
  });

  it("keeps a Markdown fence that is a context line inside the diff", () => {
    const diff = inspectDiff(fence("--- a/README.md\n+++ b/README.md\n@@ @@\n ```\n-old\n+new\n ```"));
    expect(diff.problems).toEqual([]);
    expect(diff.files[0]).toMatchObject({ added: 1, removed: 1 });
  });

  it("prefers ```diff fences, else any fence holding file headers", () => {
    expect(inspectDiff("```ts\nconst x = 1;\n```\n```patch\n--- a/x\n+++ b/x\n@@ @@\n-1\n+2\n```").files).toHaveLength(1);
    expect(inspectDiff("```\n--- a/x\n+++ b/x\n@@ @@\n-1\n+2\n```").files).toHaveLength(1);
  });

  it("finds nothing in an answer without a diff", () => {
    expect(inspectDiff("CANNOT: src/users/repository.ts is not in the context")).toEqual({ found: false, files: [], problems: [] });
  });

  it("reports each structural problem at its answer line", () => {
    const problems = (body: string) => inspectDiff(fence(body)).problems.map((p) => `${p.line}: ${p.message}`);
    expect(problems("@@ @@\n+x")).toEqual(["4: a hunk (`@@`) comes before any `--- path` / `+++ path` header"]);
    expect(problems("--- a/x\n+++ b/x")).toEqual(["4: x has a header but no hunk (`@@ ... @@` followed by changed lines)"]);
    expect(problems("--- a/x\n+++ b/x\n@@ @@\n-a\nthis is prose\n+b")).toEqual([
      '8: "this is prose" is not diff syntax: hunk lines start with a space, `+` or `-`',
    ]);
    expect(problems("--- /etc/passwd\n+++ /etc/passwd\n@@ @@\n-a\n+b")).toEqual([
      "4: /etc/passwd is an absolute path; use the path relative to the repository root",
    ]);
    expect(problems("--- a/../x\n+++ b/../x\n@@ @@\n-a\n+b")[0]).toBe("4: ../x leaves the repository (`..`)");
    expect(problems("--- /dev/null\n+++ /dev/null\n@@ @@\n+a")[0]).toBe("4: both sides of the file header are /dev/null");
    expect(problems("--- /dev/null\n+++ b/n.ts\n@@ @@\n context\n+a")).toEqual(["4: new file n.ts must consist of `+` lines only"]);
    expect(problems("--- a/x.bin\n+++ b/x.bin\nGIT binary patch\nliteral 0")).toContain("6: binary patches are not supported; change text files only");
  });

  it("flags placeholders for elided code in added and context lines", () => {
    const diff = inspectDiff(fence("--- a/x.ts\n+++ b/x.ts\n@@ @@\n function f() {\n+  // ... existing code ...\n-  return 1;\n+  return 2;"));
    expect(diff.problems).toEqual([{ line: 8, message: 'elided code ("// ... existing code ..."): write out every line instead of a placeholder' }]);
  });
});

describe("isElisionPlaceholder", () => {
  it.each(["// ...", "  // ... existing code ...", "# ... rest of the file unchanged", "/* ... */", "<!-- … -->", "-- ... remaining columns", "// …other methods"])(
    "flags %j",
    (line) => expect(isElisionPlaceholder(line)).toBe(true),
  );
  it.each(["    ...", "const all = [...items];", "// ...otherwise fall back to the cache", "print('...')", "# TODO"])("keeps %j", (line) =>
    expect(isElisionPlaceholder(line)).toBe(false),
  );
});
