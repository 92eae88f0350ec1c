import { isAbsolute, relative, sep } from "node:path";
import type { CheckKind, Diagnostic } from "./check-spec";
import { cleanOutput } from "./trim-output";

const tscFileError = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const tscGlobalError = /^error (TS\d+): (.*)$/;
const vitestFail = /^\s*FAIL\s+(.+?)\s*$/;

/**
 * The problems a check reported, read from its output: tsc's `file(line,col): error TSnnnn`,
 * eslint's JSON report (errors only; paths made relative to the project), vitest's `FAIL` lines.
 * Undefined when the output holds nothing readable (a crash, a config error), so comparison with
 * the baseline falls back to the check's status.
 */
export function readDiagnostics(kind: CheckKind, output: { all: string; stdout: string }, projectDir: string): Diagnostic[] | undefined {
  if (kind === "eslint") return readEslintJson(output.stdout, projectDir);
  const lines = cleanOutput(output.all).split("\n");
  const found: Diagnostic[] = [];
  if (kind === "tsc" || kind === "command") found.push(...readTscLines(lines));
  if (kind === "vitest" || kind === "command") found.push(...readVitestLines(lines));
  return found.length > 0 ? found : undefined;
}

function readTscLines(lines: readonly string[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of lines) {
    const inFile = tscFileError.exec(line);
    if (inFile !== null) {
      const [, file = "", lineNumber, column, code = "", message = ""] = inFile;
      found.push({ file: file.split(sep).join("/"), code, message, line: Number(lineNumber), column: Number(column) });
      continue;
    }
    const global = tscGlobalError.exec(line);
    if (global !== null) found.push({ file: "", code: global[1] ?? "", message: global[2] ?? "" });
  }
  return found;
}

function readVitestLines(lines: readonly string[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const line of lines) {
    const fail = vitestFail.exec(line);
    if (fail === null) continue;
    const id = fail[1] ?? "";
    found.push({ file: id.split(/\s+[>[]/)[0] ?? id, code: "test", message: id });
  }
  return found;
}

interface EslintFileReport {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string; line?: number; column?: number }[];
}

function readEslintJson(stdout: string, projectDir: string): Diagnostic[] | undefined {
  const start = stdout.indexOf("[");
  if (start < 0) return undefined;
  let reports: unknown;
  try {
    reports = JSON.parse(stdout.slice(start));
  } catch {
    return undefined;
  }
  if (!Array.isArray(reports)) return undefined;
  const found: Diagnostic[] = [];
  for (const report of reports as EslintFileReport[]) {
    const file = isAbsolute(report.filePath) ? relative(projectDir, report.filePath).split(sep).join("/") : report.filePath;
    for (const message of report.messages ?? []) {
      if (message.severity !== 2) continue;
      found.push({ file, code: message.ruleId ?? "eslint", message: message.message, line: message.line, column: message.column });
    }
  }
  return found;
}

/** Diagnostics as lines a person or a model reads: `src/a.ts:3:7 TS2322 Type 'string' is not ...`. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], limit = 60): string {
  const lines = diagnostics.slice(0, limit).map((d) => {
    if (d.code === "test") return `FAIL ${d.message}`;
    const at = d.file === "" ? "" : d.line === undefined ? `${d.file} ` : `${d.file}:${d.line}:${d.column ?? 1} `;
    return `${at}${d.code} ${d.message}`;
  });
  if (diagnostics.length > limit) lines.push(`… and ${diagnostics.length - limit} more`);
  return lines.join("\n");
}

const keyOf = (d: Diagnostic): string => `${d.file}\u0000${d.code}\u0000${d.message}`;

/**
 * Diagnostics of `current` that the baseline did not have, compared as a multiset of
 * (file, code, message) — positions are ignored, since a patch shifts the lines below it.
 */
export function newDiagnostics(baseline: readonly Diagnostic[], current: readonly Diagnostic[]): Diagnostic[] {
  const remaining = new Map<string, number>();
  for (const d of baseline) remaining.set(keyOf(d), (remaining.get(keyOf(d)) ?? 0) + 1);
  return current.filter((d) => {
    const left = remaining.get(keyOf(d)) ?? 0;
    if (left === 0) return true;
    remaining.set(keyOf(d), left - 1);
    return false;
  });
}
