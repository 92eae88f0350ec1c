import { asAdded, asRemoved, fenced, lineCount, replaceNth, replaceOnce, type CorpusCase } from "./corpus-case";
import { hunksBetween, renderDiff } from "./diff-writer";
import { sourceText } from "./sources";

const applied = (name: string, tags: string[], rest: Omit<CorpusCase, "name" | "tags" | "expect" | "clean">): CorpusCase => ({
  name: `hand/${name}`,
  tags,
  expect: "applied",
  clean: false,
  ...rest,
});

/** Hand-written cases for what a generator cannot make: file operations, ambiguity, odd encodings. */
export function handApplicableCases(): CorpusCase[] {
  const ms = sourceText("ms");
  const flattedPy = sourceText("flatted-py");
  const download = sourceText("download-sh");
  const fastq = sourceText("fastq");
  const kysely = sourceText("kysely");
  const gaxios = sourceText("gaxios");
  const readme = sourceText("readme");
  const go = sourceText("flatted-go");
  const orderedMap = sourceText("ordered-map");
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]);
  const msMinute = replaceOnce(ms, "var m = s * 60;\n", "var m = s * 60; // one minute\n");
  const cases: CorpusCase[] = [];

  cases.push(
    applied("new-file", ["new-file"], {
      files: { "README.md": readme },
      answer: fenced(`diff --git a/python/flatted.py b/python/flatted.py\nnew file mode 100644\nindex 0000000..1b2c3d4\n--- /dev/null\n+++ b/python/flatted.py\n@@ -0,0 +1,${lineCount(flattedPy)} @@\n${asAdded(flattedPy)}\n`),
      expected: { "README.md": readme, "python/flatted.py": flattedPy },
    }),
    applied("new-file-inferred", ["new-file", "no-dev-null"], {
      files: { "README.md": readme },
      answer: fenced(`--- a/python/flatted.py\n+++ b/python/flatted.py\n@@ -0,0 +1,${lineCount(flattedPy)} @@\n${asAdded(flattedPy)}\n`),
      expected: { "README.md": readme, "python/flatted.py": flattedPy },
    }),
    applied("new-file-executable", ["new-file", "mode"], {
      files: {},
      answer: `diff --git a/deps/download.sh b/deps/download.sh\nnew file mode 100755\n--- /dev/null\n+++ b/deps/download.sh\n@@ -0,0 +1,${lineCount(download)} @@\n${asAdded(download)}\n`,
      expected: { "deps/download.sh": download },
      expectedModes: { "deps/download.sh": 0o755 },
    }),
    applied("delete-file-listed", ["deleted-file"], {
      files: { "src/ms.js": ms, "queue.js": fastq },
      answer: fenced(`diff --git a/src/ms.js b/src/ms.js\ndeleted file mode 100644\n--- a/src/ms.js\n+++ /dev/null\n@@ -1,${lineCount(ms)} +0,0 @@\n${asRemoved(ms)}\n`),
      expected: { "queue.js": fastq },
    }),
    applied("delete-file-header-only", ["deleted-file"], {
      files: { "src/ms.js": ms, "queue.js": fastq },
      answer: "Remove the helper:\n\n```diff\ndiff --git a/src/ms.js b/src/ms.js\ndeleted file mode 100644\n```\n",
      expected: { "queue.js": fastq },
    }),
    applied("rename-pure", ["rename"], {
      files: { "src/ms.js": ms },
      answer: "diff --git a/src/ms.js b/lib/ms.js\nsimilarity index 100%\nrename from src/ms.js\nrename to lib/ms.js\n",
      expected: { "lib/ms.js": ms },
    }),
    applied("rename-with-change", ["rename"], {
      files: { "src/ms.js": ms },
      answer: fenced(
        "diff --git a/src/ms.js b/lib/ms.js\nsimilarity index 97%\nrename from src/ms.js\nrename to lib/ms.js\nindex 1a2b3c4..5d6e7f8 100644\n--- a/src/ms.js\n+++ b/lib/ms.js\n@@ -4,4 +4,4 @@\n \n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n",
      ),
      expected: { "lib/ms.js": msMinute },
    }),
    applied("mode-change", ["mode"], {
      files: { "deps/download.sh": download },
      answer: "diff --git a/deps/download.sh b/deps/download.sh\nold mode 100644\nnew mode 100755\n",
      expected: { "deps/download.sh": download },
      expectedModes: { "deps/download.sh": 0o755 },
    }),
    applied("copy-with-change", ["copy"], {
      files: { "src/ms.js": ms },
      answer: "diff --git a/src/ms.js b/src/ms-copy.js\nsimilarity index 98%\ncopy from src/ms.js\ncopy to src/ms-copy.js\n--- a/src/ms.js\n+++ b/src/ms-copy.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n",
      expected: { "src/ms.js": ms, "src/ms-copy.js": msMinute },
    }),
    applied("delete-binary-file", ["deleted-file", "binary"], {
      files: { "src/ms.js": ms, "assets/logo.png": png },
      answer: "diff --git a/assets/logo.png b/assets/logo.png\ndeleted file mode 100644\nindex 3f2a9c1..0000000\nBinary files a/assets/logo.png and /dev/null differ\n",
      expected: { "src/ms.js": ms },
    }),
    applied("rename-binary-file", ["rename", "binary"], {
      files: { "assets/logo.png": png },
      answer: "diff --git a/assets/logo.png b/public/logo.png\nsimilarity index 100%\nrename from assets/logo.png\nrename to public/logo.png\n",
      expected: { "public/logo.png": png },
    }),
    applied("delete-and-create-as-move", ["deleted-file", "new-file", "several-diffs"], {
      files: { "src/ms.js": ms },
      answer: `Move it:\n\n${fenced(`--- a/src/ms.js\n+++ /dev/null\n@@ -1,${lineCount(ms)} +0,0 @@\n${asRemoved(ms)}\n`)}\nand\n\n${fenced(`--- /dev/null\n+++ b/lib/ms.js\n@@ -0,0 +1,${lineCount(ms)} @@\n${asAdded(ms)}\n`)}`,
      expected: { "lib/ms.js": ms },
    }),
  );

  const fastqEdited = replaceOnce(fastq, "  function resume () {\n", "  function resume () {\n    // grompt: resuming drains the queue\n");
  cases.push(
    applied("several-files-several-fences", ["several-diffs", "fenced-with-prose"], {
      files: { "src/ms.js": ms, "queue.js": fastq },
      answer: `First the constant:\n\n${fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ -5,3 +5,3 @@ var s = 1000;\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n")}\nThen the queue:\n\n${fenced("--- a/queue.js\n+++ b/queue.js\n@@ ... @@\n   function resume () {\n+    // grompt: resuming drains the queue\n     if (!self.paused) return\n     self.paused = false\n")}\nThat is all.\n`,
      expected: { "src/ms.js": msMinute, "queue.js": fastqEdited },
    }),
    applied("same-file-twice", ["several-diffs"], {
      files: { "src/ms.js": ms },
      answer: `${fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n")}\nand on top of that:\n\n${fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60; // one minute\n+var m = s * 60; // one minute, in ms\n var h = m * 60;\n")}`,
      expected: { "src/ms.js": replaceOnce(ms, "var m = s * 60;\n", "var m = s * 60; // one minute, in ms\n") },
    }),
    applied("key-change-restated", ["several-diffs", "repeated-diff"], {
      files: { "src/ms.js": ms },
      answer: `${fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n@@ -158,4 +158,4 @@\n \n function plural(ms, msAbs, n, name) {\n   var isPlural = msAbs >= n * 1.5;\n-  return Math.round(ms / n) + ' ' + name + (isPlural ? 's' : '');\n+  return Math.round(ms / n) + ' ' + name + (isPlural ? 's' : '') + '';\n")}\nThe key change is this line:\n\n${fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ ... @@\n-var m = s * 60;\n+var m = s * 60; // one minute\n")}`,
      expected: { "src/ms.js": replaceOnce(msMinute, "(isPlural ? 's' : '');\n", "(isPlural ? 's' : '') + '';\n") },
    }),
    applied("fence-names-the-file", ["fence-path", "hunk-without-file-header"], {
      files: { "src/ms.js": ms },
      answer: "```diff src/ms.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n```\n",
      expected: { "src/ms.js": msMinute },
    }),
  );

  const lateral = "      *     (eb) =>\n      *       eb.selectFrom('pet')\n-     *         .select('name')\n+     *         .select(['name', 'species'])\n      *         .whereRef('pet.owner_id', '=', 'person.id')\n      *         .as('p'),\n      *     (join) => join.onTrue()\n";
  cases.push(
    applied("repeated-context-decided-by-line-number", ["ambiguous-context", "hint-decides"], {
      files: { "src/select-query-builder.d.ts": kysely },
      answer: fenced(`--- a/src/select-query-builder.d.ts\n+++ b/src/select-query-builder.d.ts\n@@ -1008,6 +1008,6 @@\n${lateral}`),
      expected: { "src/select-query-builder.d.ts": replaceNth(kysely, "     *         .select('name')\n     *         .whereRef('pet.owner_id', '=', 'person.id')", "     *         .select(['name', 'species'])\n     *         .whereRef('pet.owner_id', '=', 'person.id')", 2) },
    }),
  );

  const gaxiosWithNewline = `${gaxios}\n`;
  cases.push(
    applied("add-final-newline", ["eof-marker"], {
      files: { "build/src/index.js": gaxios },
      answer: fenced(renderDiff([{ oldPath: "build/src/index.js", newPath: "build/src/index.js", hunks: hunksBetween(gaxios, gaxiosWithNewline) }])),
      expected: { "build/src/index.js": gaxiosWithNewline },
    }),
    applied("remove-final-newline", ["eof-marker"], {
      files: { "src/ms.js": ms },
      answer: fenced(renderDiff([{ oldPath: "src/ms.js", newPath: "src/ms.js", hunks: hunksBetween(ms, ms.replace(/\n$/, "")) }])),
      expected: { "src/ms.js": ms.replace(/\n$/, "") },
    }),
    applied("byte-order-mark", ["bom"], {
      files: { "src/ms.js": `\uFEFF${ms}` },
      answer: fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ -1,4 +1,4 @@\n /**\n- * Helpers.\n+ * Time helpers.\n  */\n \n"),
      expected: { "src/ms.js": `\uFEFF${replaceOnce(ms, " * Helpers.\n", " * Time helpers.\n")}` },
    }),
    applied("markdown-with-fences", ["markdown", "nested-fences"], {
      files: { "readme.md": readme },
      answer: "Document the flag:\n\n````diff\n--- a/readme.md\n+++ b/readme.md\n@@ -8,5 +8,9 @@\n ## Install\n \n ```sh\n npm install pretty-ms\n ```\n+\n+```sh\n+yarn add pretty-ms\n+```\n````\n",
      expected: { "readme.md": replaceOnce(readme, "```sh\nnpm install pretty-ms\n```\n", "```sh\nnpm install pretty-ms\n```\n\n```sh\nyarn add pretty-ms\n```\n") },
    }),
    applied("python-ellipsis-is-code", ["placeholder-lookalike"], {
      files: { "python/flatted.py": flattedPy },
      answer: fenced("--- a/python/flatted.py\n+++ b/python/flatted.py\n@@ ... @@\n class _Known:\n     def __init__(self):\n         self.key = []\n         self.value = []\n+\n+    def clear(self):\n+        ...\n"),
      expected: { "python/flatted.py": replaceOnce(flattedPy, "class _Known:\n    def __init__(self):\n        self.key = []\n        self.value = []\n", "class _Known:\n    def __init__(self):\n        self.key = []\n        self.value = []\n\n    def clear(self):\n        ...\n") },
    }),
    applied("bare-diff-tab-context-without-space", ["bare-with-prose", "unprefixed-context"], {
      files: { "golang/pkg/flatted/flatted.go": go },
      answer: "Note every value:\n\n--- a/golang/pkg/flatted/flatted.go\n+++ b/golang/pkg/flatted/flatted.go\n@@ -17,4 +17,5 @@\n\tknownKeys := []any{}\n\tknownValues := []string{}\n \tinput := []any{}\n+\t// grompt: every value seen so far\n \n\nHope this helps.\n",
      expected: { "golang/pkg/flatted/flatted.go": replaceOnce(go, "\tinput := []any{}\n", "\tinput := []any{}\n\t// grompt: every value seen so far\n") },
    }),
    applied("indented-fence-in-a-list", ["fenced-with-prose", "indented-fence"], {
      files: { "src/ms.js": ms },
      answer: "1. Change the constant:\n\n   ```diff\n   --- a/src/ms.js\n   +++ b/src/ms.js\n   @@ -5,3 +5,3 @@\n    var s = 1000;\n   -var m = s * 60;\n   +var m = s * 60; // one minute\n    var h = m * 60;\n   ```\n\n2. Run the tests.\n",
      expected: { "src/ms.js": msMinute },
    }),
    applied("unclosed-fence", ["truncated-answer"], {
      files: { "src/ms.js": ms },
      answer: "```diff\n--- a/src/ms.js\n+++ b/src/ms.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n",
      expected: { "src/ms.js": msMinute },
    }),
    applied("whole-file-block-beside-the-diff", ["fenced-with-prose", "code-block-ignored"], {
      files: { "src/ms.js": ms },
      answer: `The file currently reads:\n\n\`\`\`js\n${ms}\`\`\`\n\nChange it like this:\n\n${fenced("--- a/src/ms.js\n+++ b/src/ms.js\n@@ -5,3 +5,3 @@\n var s = 1000;\n-var m = s * 60;\n+var m = s * 60; // one minute\n var h = m * 60;\n")}`,
      expected: { "src/ms.js": msMinute },
    }),
    applied("quoted-path-with-space", ["quoted-path"], {
      files: { "docs/my notes.md": readme },
      answer: 'diff --git "a/docs/my notes.md" "b/docs/my notes.md"\n--- "a/docs/my notes.md"\n+++ "b/docs/my notes.md"\n@@ -1,3 +1,3 @@\n-# pretty-ms\n+# pretty-ms (notes)\n \n > Convert milliseconds to a human readable string: `1337000000` → `15d 11h 23m 20s`\n',
      expected: { "docs/my notes.md": replaceOnce(readme, "# pretty-ms\n", "# pretty-ms (notes)\n") },
    }),
    applied("mixed-line-endings", ["mixed-endings", "crlf-file"], {
      files: { "dist/umd/ordered-map.js": orderedMap },
      answer: fenced("--- a/dist/umd/ordered-map.js\n+++ b/dist/umd/ordered-map.js\n@@ ... @@\n     /******************************************************************************\n-    Copyright (c) Microsoft Corporation.\n+    Copyright (c) Microsoft Corporation. All rights reserved.\n \n     Permission to use, copy, modify, and/or distribute this software for any\n@@ ... @@\n     /* global Reflect, Promise, SuppressedError, Symbol */\n \n+    // grompt: helpers below come from tslib\n     var extendStatics = function (d, b) {\n"),
      expected: {
        "dist/umd/ordered-map.js": replaceOnce(
          replaceOnce(orderedMap, "    Copyright (c) Microsoft Corporation.\r\n", "    Copyright (c) Microsoft Corporation. All rights reserved.\r\n"),
          "    /* global Reflect, Promise, SuppressedError, Symbol */\n\n",
          "    /* global Reflect, Promise, SuppressedError, Symbol */\n\n    // grompt: helpers below come from tslib\n",
        ),
      },
    }),
  );
  return cases;
}
