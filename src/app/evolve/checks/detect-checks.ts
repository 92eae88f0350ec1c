import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { CheckSpec, UnavailableCheck } from "./check-spec";

/** A check from `.grompt/config.yaml` (`checks: [{ name, run, timeout }]`, timeout in seconds). */
export interface ConfiguredCheck {
  name: string;
  run: string;
  timeout: number;
}

export interface DetectChecksInput {
  /** Where the checks run (the project directory: the job's cwd). */
  projectDir: string;
  /** The highest directory searched for node_modules/.bin and lint configs (the repository root). */
  boundary: string;
  /** The configured checks; when given (even empty) they replace detection. */
  configured?: readonly ConfiguredCheck[];
  /** Timeout of each detected check (ms, default 300 s). */
  timeoutMs?: number;
}

export interface DetectedChecks {
  checks: CheckSpec[];
  /** Checks the repository asks for that cannot run (their tool is not installed). */
  unavailable: UnavailableCheck[];
}

const eslintConfigs = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  "eslint.config.mts",
  "eslint.config.cts",
  ".eslintrc",
  ".eslintrc.js",
  ".eslintrc.cjs",
  ".eslintrc.json",
  ".eslintrc.yml",
  ".eslintrc.yaml",
];

const defaultTimeoutMs = 300_000;

/**
 * The project's own checks, cheapest first: `tsc --noEmit` when there is a tsconfig.json,
 * `eslint` on the changed files when there is an eslint config, `vitest run` when vitest is a
 * dependency — always with the project's own binaries (node_modules/.bin, here or in a parent up
 * to the repository root), never a download. Configured checks replace detection.
 */
export function detectChecks(input: DetectChecksInput): DetectedChecks {
  if (input.configured !== undefined) {
    return {
      checks: input.configured.map((check) => ({
        name: check.name,
        kind: "command",
        display: check.run,
        run: { shell: check.run },
        timeoutMs: check.timeout * 1000,
        scope: "project",
        source: "config",
      })),
      unavailable: [],
    };
  }
  const timeoutMs = input.timeoutMs ?? defaultTimeoutMs;
  const checks: CheckSpec[] = [];
  const unavailable: UnavailableCheck[] = [];
  const manifest = readPackageJson(join(input.projectDir, "package.json"));
  const dependsOn = (name: string) => manifest?.dependencies?.[name] !== undefined || manifest?.devDependencies?.[name] !== undefined;
  const bin = (tool: string) => findBin(tool, input.projectDir, input.boundary);
  const add = (name: CheckSpec["kind"], args: string[], scope: CheckSpec["scope"], display: string) => {
    const file = bin(name);
    if (file === undefined) {
      unavailable.push({ name, reason: `${name} is not installed in this project (no node_modules/.bin/${name}); install the dependencies first` });
      return;
    }
    checks.push({ name, kind: name, display, run: { file, args }, timeoutMs, scope, source: "detected" });
  };

  if (existsSync(join(input.projectDir, "tsconfig.json"))) add("tsc", ["--noEmit", "--pretty", "false"], "project", "tsc --noEmit");
  if (hasEslintConfig(input.projectDir, input.boundary, manifest)) add("eslint", ["--format", "json"], "changed-files", "eslint <changed files>");
  if (dependsOn("vitest")) add("vitest", ["run"], "project", "vitest run");
  return { checks, unavailable };
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  eslintConfig?: unknown;
}

function readPackageJson(file: string): PackageJson | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof value === "object" && value !== null ? (value as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The directories from `dir` up to `boundary` (both included); just `dir` when it is not inside. */
function upTo(dir: string, boundary: string): string[] {
  const inside = relative(boundary, dir);
  if (inside.startsWith("..") || inside.split(sep).includes("..")) return [dir];
  const dirs: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    dirs.push(current);
    if (current === boundary || dirname(current) === current) return dirs;
  }
}

/** The tool's binary, as a path relative to the project directory (it is run from there, in a worktree too). */
function findBin(tool: string, projectDir: string, boundary: string): string | undefined {
  for (const dir of upTo(projectDir, boundary)) {
    if (existsSync(join(dir, "node_modules", ".bin", tool))) return relative(projectDir, join(dir, "node_modules", ".bin", tool)).split(sep).join("/");
  }
  return undefined;
}

function hasEslintConfig(projectDir: string, boundary: string, manifest: PackageJson | undefined): boolean {
  if (manifest?.eslintConfig !== undefined) return true;
  return upTo(projectDir, boundary).some((dir) => eslintConfigs.some((name) => existsSync(join(dir, name))));
}
