import { describe, expect, it } from "vitest";
import { isPlaceholderLine } from "../../src/app/patch/is-placeholder-line";
import { reindentAddedLines } from "../../src/app/patch/reindent-added-lines";

describe("reindentAddedLines", () => {
  it("leaves added lines alone when the context's indentation already matched", () => {
    expect(reindentAddedLines([{ hunk: "  a();  ", file: "  a();" }], ["  b();"])).toEqual({ lines: ["  b();"], changed: false });
  });

  it("undoes a constant shift", () => {
    const pairs = [
      { hunk: "if (x) {", file: "    if (x) {" },
      { hunk: "  y();", file: "      y();" },
    ];
    expect(reindentAddedLines(pairs, ["  z();", "}", "    deeper();"])).toEqual({ lines: ["      z();", "    }", "        deeper();"], changed: true });
  });

  it("turns the model's spaces back into the file's tabs", () => {
    const pairs = [
      { hunk: "  return {", file: "\treturn {" },
      { hunk: "    a: 1,", file: "\t\ta: 1," },
    ];
    expect(reindentAddedLines(pairs, ["    b: 2,", "      c: 3,"]).lines).toEqual(["\t\tb: 2,", "\t\t\tc: 3,"]);
  });

  it("keeps a line as written when its indentation cannot be mapped without guessing", () => {
    const pairs = [{ hunk: "    x();", file: "\tx();" }];
    expect(reindentAddedLines(pairs, ["      half();", "    same();"]).lines).toEqual(["      half();", "\tsame();"]);
    const inconsistent = [
      { hunk: "  a();", file: "    a();" },
      { hunk: "  b();", file: "\tb();" },
    ];
    expect(reindentAddedLines(inconsistent, ["  c();"])).toEqual({ lines: ["  c();"], changed: false });
  });
});

describe("isPlaceholderLine", () => {
  it.each([
    "// ... existing code ...",
    "  // ...",
    "# ...rest unchanged",
    "/* rest of the file */",
    "<!-- ... -->",
    "{/* ... */}",
    "// rest of the code",
    "// (unchanged)",
    "// ... other methods ...",
    "# ... more tests ...",
    "// existing imports",
    "// Rest of the implementation remains the same",
    "// keep existing code here",
    "-- ... remaining columns ...",
    "...",
  ])("flags %j", (line) => {
    expect(isPlaceholderLine(line, "a.ts")).toBe(true);
  });

  it.each([
    "// Loading...",
    "// wait for more...",
    "// Keep the cache unchanged",
    "// rest parameters are collected here",
    "const rest = args.slice(1)",
    "return [...items]",
    "# Other options",
    "// TODO: handle the rest",
    "// Existing users are migrated below",
    "// previous value",
  ])("does not flag %j", (line) => {
    expect(isPlaceholderLine(line, "a.ts")).toBe(false);
  });

  it("accepts a bare ellipsis in Python, where it is a statement", () => {
    expect(isPlaceholderLine("        ...", "stubs/api.pyi")).toBe(false);
    expect(isPlaceholderLine("        ...", "src/api.ts")).toBe(true);
  });
});
