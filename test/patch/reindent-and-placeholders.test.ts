import { describe, expect, it } from "vitest";
import { isPlaceholderLine } from "../../src/app/patch/is-placeholder-line";
import { reindentAddedLines } from "../../src/app/patch/reindent-added-lines";

describe("reindentAddedLines", () => {
  it("leaves added lines alone when the context's indentation already matched", () => {
    expect(reindentAddedLines([{ hunk: "  a();  ", file: "  a();" }], ["  b();"])).toEqual({ lines: ["  b();"], changed: false, unresolved: [] });
  });

  it("undoes a constant shift", () => {
    const pairs = [
      { hunk: "if (x) {", file: "    if (x) {" },
      { hunk: "  y();", file: "      y();" },
    ];
    expect(reindentAddedLines(pairs, ["  z();", "}", "    deeper();"])).toEqual({ lines: ["      z();", "    }", "        deeper();"], changed: true, unresolved: [] });
  });

  it("turns the model's spaces back into the file's tabs", () => {
    const pairs = [
      { hunk: "  return {", file: "\treturn {" },
      { hunk: "    a: 1,", file: "\t\ta: 1," },
    ];
    expect(reindentAddedLines(pairs, ["    b: 2,", "      c: 3,"]).lines).toEqual(["\t\tb: 2,", "\t\t\tc: 3,"]);
  });

  it("reports the lines whose indentation cannot be mapped without guessing", () => {
    const pairs = [{ hunk: "    x();", file: "\tx();" }];
    expect(reindentAddedLines(pairs, ["      half();", "    same();"])).toEqual({ lines: ["      half();", "\tsame();"], changed: true, unresolved: [0] });
    const uneven = [
      { hunk: "  a();", file: "    a();" },
      { hunk: "  b();", file: "      b();" },
      { hunk: "c();", file: "  c();" },
    ];
    expect(reindentAddedLines(uneven, ["  d();", "e();"])).toEqual({ lines: ["  d();", "  e();"], changed: true, unresolved: [0] });
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
