import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Real files from packages in node_modules, copied byte for byte into `sources/` (a `.txt` suffix
 * keeps tsc and eslint off them; `.gitattributes` keeps git from touching their line endings).
 * Each lives at `path` in the test trees.
 */
export interface Source {
  name: string;
  file: string;
  path: string;
  origin: string;
  license: string;
  /** Indentation style, for the mangles that re-indent. */
  indent: "spaces" | "tabs";
  /** How a whole-line comment starts, for inserted lines. */
  comment: string;
  /** Left out of the generated matrix (mixed line endings need hand-written cases). */
  handOnly?: boolean;
}

export const sources: readonly Source[] = [
  { name: "ms", file: "ms-index.js.txt", path: "src/ms.js", origin: "ms@2.1.3 index.js", license: "MIT", indent: "spaces", comment: "//" },
  { name: "chalk", file: "chalk-index.js.txt", path: "source/index.js", origin: "chalk@5.6.2 source/index.js", license: "MIT", indent: "tabs", comment: "//" },
  { name: "fastq", file: "fastq-queue.js.txt", path: "queue.js", origin: "fastq@1.20.3 queue.js", license: "ISC", indent: "spaces", comment: "//" },
  { name: "commander", file: "commander-help.js.txt", path: "lib/help.js", origin: "commander@14.0.3 lib/help.js", license: "MIT", indent: "spaces", comment: "//" },
  { name: "flatted-py", file: "flatted.py.txt", path: "python/flatted.py", origin: "flatted@3.4.4 python/flatted.py", license: "ISC", indent: "spaces", comment: "#" },
  { name: "flatted-go", file: "flatted.go.txt", path: "golang/pkg/flatted/flatted.go", origin: "flatted@3.4.4 golang/pkg/flatted/flatted.go", license: "ISC", indent: "tabs", comment: "//" },
  { name: "download-sh", file: "better-sqlite3-download.sh.txt", path: "deps/download.sh", origin: "better-sqlite3@12.11.1 deps/download.sh", license: "MIT", indent: "spaces", comment: "#" },
  { name: "kysely", file: "kysely-select-query-builder.d.ts.txt", path: "src/select-query-builder.d.ts", origin: "kysely@0.28.19 dist/esm/query-builder/select-query-builder.d.ts", license: "MIT", indent: "spaces", comment: "//" },
  { name: "readme", file: "pretty-ms-readme.md.txt", path: "readme.md", origin: "pretty-ms@9.3.1 readme.md", license: "MIT", indent: "spaces", comment: "" },
  { name: "ci-yaml", file: "pino-abstract-transport-ci.yml.txt", path: ".github/workflows/ci.yml", origin: "pino-abstract-transport@3.0.0 .github/workflows/ci.yml", license: "MIT", indent: "spaces", comment: "#" },
  { name: "yaml", file: "yaml-stringify-string.js.txt", path: "dist/stringify/stringifyString.js", origin: "yaml@2.9.1 dist/stringify/stringifyString.js", license: "ISC", indent: "spaces", comment: "//" },
  { name: "lodash", file: "lodash-chunk.js.txt", path: "index.js", origin: "lodash.chunk@4.2.0 index.js", license: "MIT", indent: "spaces", comment: "//" },
  { name: "package-json", file: "fastq-package.json.txt", path: "package.json", origin: "fastq@1.20.3 package.json", license: "ISC", indent: "spaces", comment: "" },
  { name: "color-name", file: "color-name-index.js.txt", path: "index.js", origin: "color-name@1.1.4 index.js (CRLF, tabs)", license: "MIT", indent: "tabs", comment: "//" },
  { name: "json-schema", file: "json-schema-typed-draft-07.js.txt", path: "draft_07.js", origin: "json-schema-typed@8.0.2 draft_07.js (CRLF)", license: "BSD-2-Clause", indent: "spaces", comment: "//" },
  {
    name: "ordered-map",
    file: "js-sdsl-ordered-map.js.txt",
    path: "dist/umd/ordered-map.js",
    origin: "@js-sdsl/ordered-map@4.4.2 dist/umd/ordered-map.js (mixed LF and CRLF)",
    license: "MIT",
    indent: "spaces",
    comment: "//",
    handOnly: true,
  },
  { name: "gaxios", file: "gaxios-index.js.txt", path: "build/src/index.js", origin: "gaxios@7.3.1 build/cjs/src/index.js (no final newline)", license: "Apache-2.0", indent: "spaces", comment: "//" },
];

const cache = new Map<string, string>();

/** The source's exact text (every source is UTF-8). */
export function sourceText(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const source = sourceNamed(name);
  const text = readFileSync(join(import.meta.dirname, "sources", source.file), "utf8");
  cache.set(name, text);
  return text;
}

export function sourceNamed(name: string): Source {
  const source = sources.find((candidate) => candidate.name === name);
  if (source === undefined) throw new Error(`No corpus source named ${name}`);
  return source;
}
