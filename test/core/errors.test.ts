import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GromptError, errorCatalog, exitCodeFor, httpStatusFor, toGromptError } from "../../src/core/domain/errors";

describe("error catalog", () => {
  const documented = readFileSync(join(import.meta.dirname, "..", "..", "docs", "errors.md"), "utf8");

  it.each(Object.keys(errorCatalog))("documents %s in docs/errors.md with its exit code and status", (code) => {
    const entry = errorCatalog[code as keyof typeof errorCatalog];
    const row = documented.split("\n").find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${entry.exit} | ${entry.http} |`);
  });

  it("uses only the documented exit codes", () => {
    const allowed = new Set([1, 2, 3, 4, 130]);
    for (const entry of Object.values(errorCatalog)) expect(allowed.has(entry.exit)).toBe(true);
  });

  it("maps codes to exit codes and statuses, unknown codes to failure", () => {
    expect(exitCodeFor("patch_not_applicable")).toBe(4);
    expect(exitCodeFor("auth")).toBe(3);
    expect(httpStatusFor("not_found")).toBe(404);
    expect(exitCodeFor("no-such-code")).toBe(1);
    expect(httpStatusFor("no-such-code")).toBe(500);
  });

  it("marks transient provider failures retryable unless told otherwise", () => {
    expect(new GromptError("rate_limited", "slow down").retryable).toBe(true);
    expect(new GromptError("auth", "bad key").retryable).toBe(false);
    expect(new GromptError("unavailable", "down", { retryable: false }).retryable).toBe(false);
  });

  it("wraps foreign errors as internal and keeps GromptErrors", () => {
    const own = new GromptError("not_found", "no job");
    expect(toGromptError(own)).toBe(own);
    const wrapped = toGromptError(new TypeError("boom"));
    expect(wrapped.code).toBe("internal");
    expect(wrapped.message).toBe("boom");
    expect(new GromptError("auth", "no", { hint: "set it" }).toFailure()).toEqual({ code: "auth", message: "no", hint: "set it" });
  });
});
