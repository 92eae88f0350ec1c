import ignore, { type Ignore } from "ignore";
import type { ExclusionReason } from "../../core/ports/snapshot-port";
import { defaultExcludes, isSecretFileName } from "./default-rules";
import { isFramablePath } from "./latx-format";

export interface PathFilterOptions {
  /** Text of the root's `.gromptignore`, when there is one. */
  gromptignore?: string;
  include: readonly string[];
  exclude: readonly string[];
  /** The output directory relative to the root, when it lies inside the tree. */
  outputDir?: string;
}

export interface PathFilter {
  /** Why a file is left out by its path alone, or undefined when it stays. */
  file(path: string): ExclusionReason | undefined;
  /** Why a whole directory can be skipped without looking inside, or undefined. */
  directory(path: string): ExclusionReason | undefined;
}

const ruleReasons = new Set<string>(["default-exclude", "gromptignore", "exclude-pattern"]);

const marked = (patterns: readonly string[], mark: ExclusionReason) =>
  patterns
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"))
    .map((pattern) => ({ pattern, mark }));

/**
 * Path rules after git's own view: defaults, then `.gromptignore`, then `--exclude` — one rule list
 * in gitignore syntax, so a later negation (`!dist/` in `.gromptignore`) can bring a default back —
 * then `--include`. Each rule carries the reason reported when it leaves a file out.
 */
export function createPathFilter(options: PathFilterOptions): PathFilter {
  const rules: Ignore = ignore({ ignorecase: false }).add([
    ...marked(defaultExcludes, "default-exclude"),
    ...marked((options.gromptignore ?? "").split(/\r?\n/), "gromptignore"),
    ...marked(options.exclude, "exclude-pattern"),
  ]);
  const include: Ignore | undefined =
    options.include.length === 0 ? undefined : ignore({ ignorecase: false }).add([...options.include]);
  const outputDir = options.outputDir;
  const insideOutput = (path: string) =>
    outputDir !== undefined && (outputDir === "" || path === outputDir || path.startsWith(`${outputDir}/`));

  const ruleReason = (path: string): ExclusionReason | undefined => {
    const result = rules.test(path);
    if (!result.ignored) return undefined;
    const mark = result.rule?.mark;
    return mark !== undefined && ruleReasons.has(mark) ? (mark as ExclusionReason) : "exclude-pattern";
  };

  return {
    file(path) {
      if (!isFramablePath(path)) return "unframeable-path";
      if (isUnportable(path)) return "unportable-path";
      if (insideOutput(path)) return "output-dir";
      if (isSecretFileName(path)) return "secret-file";
      const reason = ruleReason(path);
      if (reason !== undefined) return reason;
      if (include !== undefined && !include.ignores(path)) return "not-included";
      return undefined;
    },
    directory(path) {
      if (!isFramablePath(path)) return "unframeable-path";
      if (insideOutput(path)) return "output-dir";
      return ruleReason(`${path}/`);
    },
  };
}

/**
 * Names the zip format (and archiver) would rewrite: a backslash becomes a separator and a leading
 * `name:` is read as a drive letter, so the zip would no longer match the manifest.
 */
const isUnportable = (path: string): boolean => path.includes("\\") || /^\w+:/.test(path);
