import { execFile } from "node:child_process";
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { applyPlan, planPatch } from "../../../src/app/patch";
import type { CorpusCase } from "./corpus-case";

const run = promisify(execFile);

export type CaseOutcome =
  /** Applied to exactly the intended bytes, or refused with the intended reason and nothing changed. */
  | "correct"
  /** Refused although applicable (tree untouched), or refused for another reason than intended. */
  | "missed"
  /** The tree changed, and not into what was intended: the one thing that must never happen. */
  | "wrong";

export interface CaseResult {
  name: string;
  expect: CorpusCase["expect"];
  outcome: CaseOutcome;
  reasons: string[];
  detail?: string;
}

export interface Sandbox {
  base: string;
  root: string;
  outside: string;
}

/** A fresh tree for the case, plus a directory outside it that must stay untouched. */
export async function materialize(corpusCase: CorpusCase): Promise<Sandbox> {
  const base = await mkdtemp(join(tmpdir(), "grompt-corpus-"));
  const root = join(base, "repo");
  const outside = join(base, "outside");
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, "keep.txt"), "outside the repository\n");
  for (const directory of corpusCase.directories ?? []) await mkdir(join(root, directory), { recursive: true });
  for (const [path, content] of Object.entries(corpusCase.files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
    await chmod(join(root, path), corpusCase.modes?.[path] ?? 0o644);
  }
  for (const [path, target] of Object.entries(corpusCase.symlinks ?? {})) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await symlink(target === "@outside" ? outside : target, join(root, path));
  }
  return { base, root, outside };
}

export const answerOf = (corpusCase: CorpusCase): string | Uint8Array =>
  typeof corpusCase.answer === "function" ? corpusCase.answer() : corpusCase.answer;

/** Runs the engine on one case and judges the resulting tree byte for byte. */
export async function runCase(corpusCase: CorpusCase): Promise<CaseResult> {
  const sandbox = await materialize(corpusCase);
  try {
    const outcome = await planPatch({ root: sandbox.root, text: answerOf(corpusCase) });
    let reasons: string[] = [];
    if (outcome.ok) await applyPlan(outcome.plan);
    else reasons = outcome.failure.problems.map((problem) => problem.reason);
    return { name: corpusCase.name, expect: corpusCase.expect, reasons, ...(await judge(corpusCase, sandbox, outcome.ok, reasons)) };
  } finally {
    await rm(sandbox.base, { recursive: true, force: true });
  }
}

/** What plain `git apply` makes of the same answer on the same tree (applicable cases). */
export async function runGitApply(corpusCase: CorpusCase): Promise<CaseResult> {
  const sandbox = await materialize(corpusCase);
  try {
    const patchFile = join(sandbox.base, "answer.patch");
    await writeFile(patchFile, answerOf(corpusCase));
    const applied = await run("git", ["apply", patchFile], { cwd: sandbox.root }).then(
      () => true,
      () => false,
    );
    return { name: corpusCase.name, expect: corpusCase.expect, reasons: [], ...(await judge(corpusCase, sandbox, applied, [])) };
  } finally {
    await rm(sandbox.base, { recursive: true, force: true });
  }
}

async function judge(corpusCase: CorpusCase, sandbox: Sandbox, applied: boolean, reasons: string[]): Promise<{ outcome: CaseOutcome; detail?: string }> {
  const tree = await readTree(sandbox.root);
  const before = { ...stringsOf(corpusCase.files), ...linksOf(corpusCase, sandbox) };
  const outsideTree = await readTree(sandbox.outside);
  const outsideIntact = outsideTree["keep.txt"] === "outside the repository\n" && Object.keys(outsideTree).filter((path) => !path.startsWith("mode:")).length === 1;
  const unchanged = outsideIntact && sameTree(tree, before, corpusCase.modes ?? {}, {});
  if (corpusCase.expect === "refused") {
    if (applied || !unchanged) return { outcome: unchanged ? "missed" : "wrong", detail: applied ? "applied a patch that must be refused" : "tree changed" };
    if (corpusCase.reason !== undefined && !reasons.includes(corpusCase.reason)) return { outcome: "missed", detail: `refused for ${reasons.join(", ")}, not ${corpusCase.reason}` };
    return { outcome: "correct" };
  }
  const expected = { ...stringsOf(corpusCase.expected ?? {}), ...linksOf(corpusCase, sandbox) };
  if (outsideIntact && sameTree(tree, expected, corpusCase.modes ?? {}, corpusCase.expectedModes ?? {})) return { outcome: "correct" };
  if (unchanged) return { outcome: "missed", detail: applied ? "applied but changed nothing" : `refused: ${reasons.join(", ")}` };
  return { outcome: "wrong", detail: firstDifference(tree, expected) };
}

type Tree = Record<string, string>;

function stringsOf(files: Record<string, string | Uint8Array>): Tree {
  return Object.fromEntries(Object.entries(files).map(([path, content]) => [path, typeof content === "string" ? content : asTreeString(Buffer.from(content))]));
}

function linksOf(corpusCase: CorpusCase, sandbox: Sandbox): Tree {
  return Object.fromEntries(Object.entries(corpusCase.symlinks ?? {}).map(([path, target]) => [path, `symlink:${target === "@outside" ? sandbox.outside : target}`]));
}

function sameTree(actual: Tree, expected: Tree, modes: Record<string, number>, expectedModes: Record<string, number>): boolean {
  const paths = Object.keys(expected).filter((path) => !path.startsWith("mode:"));
  if (Object.keys(actual).filter((path) => !path.startsWith("mode:")).length !== paths.length) return false;
  return paths.every((path) => {
    if (actual[path] !== expected[path]) return false;
    if (expected[path]?.startsWith("symlink:") === true) return true;
    const wanted = expectedModes[path] ?? modes[path] ?? 0o644;
    return actual[`mode:${path}`] === String(wanted);
  });
}

function firstDifference(actual: Tree, expected: Tree): string {
  for (const path of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    if (path.startsWith("mode:")) continue;
    if (actual[path] !== expected[path]) {
      const a = actual[path]?.split("\n") ?? [];
      const e = expected[path]?.split("\n") ?? [];
      const line = a.findIndex((text, index) => text !== e[index]);
      return `${path}: ${actual[path] === undefined ? "missing" : expected[path] === undefined ? "unexpected" : `line ${line + 1}: got ${JSON.stringify(a[line])}, want ${JSON.stringify(e[line])}`}`;
    }
  }
  return "modes differ";
}

/** UTF-8 text when the bytes are UTF-8, else their latin1 spelling: either way, equal iff the bytes are. */
function asTreeString(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return Buffer.from(text, "utf8").equals(bytes) ? text : `bytes:${bytes.toString("latin1")}`;
}

/** Every file (content as UTF-8, or latin1 when binary), symlink and permission under a directory. */
export async function readTree(directory: string, prefix = ""): Promise<Tree> {
  const tree: Tree = {};
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    const absolute = join(directory, entry.name);
    if (entry.isSymbolicLink()) tree[path] = `symlink:${await readlink(absolute)}`;
    else if (entry.isDirectory()) Object.assign(tree, await readTree(absolute, path));
    else {
      tree[path] = asTreeString(await readFile(absolute));
      tree[`mode:${path}`] = String((await lstat(absolute)).mode & 0o777);
    }
  }
  return tree;
}
