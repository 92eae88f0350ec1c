import type { PatchProblem } from "./patch-problem";

export type CheckedPath = { ok: true; path: string } | { ok: false; problem: Pick<PatchProblem, "reason" | "message"> };

/**
 * The rules every path in a diff must pass before the tree is even looked at: relative, inside
 * the root, not into `.git`. Returns the normalised relative POSIX path (`./a//b` → `a/b`).
 * Symlinks are checked later, against the real tree.
 */
export function checkPatchPath(raw: string): CheckedPath {
  const refuse = (reason: PatchProblem["reason"], message: string): CheckedPath => ({ ok: false, problem: { reason, message } });
  if (raw.trim() === "" || raw.includes("\0")) return refuse("path-invalid", `"${printable(raw)}" is not a usable file name.`);
  if (raw.startsWith("/") || raw.startsWith("\\") || /^[a-zA-Z]:[\\/]/.test(raw) || raw.startsWith("~")) {
    return refuse("path-absolute", `"${raw}" is an absolute path; paths in a diff must be relative to the repository root.`);
  }
  if (raw.endsWith("/")) return refuse("path-is-directory", `"${raw}" names a directory; a diff changes files.`);
  const segments = raw.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.some((segment) => segment === ".." || segment.split("\\").includes(".."))) {
    return refuse("path-parent", `"${raw}" climbs out of the repository with "..".`);
  }
  if (segments.some((segment) => segment.toLowerCase() === ".git")) {
    return refuse("path-git-dir", `"${raw}" points into .git; a patch never touches git's own files.`);
  }
  if (segments.length === 0) return refuse("path-invalid", `"${raw}" is not a usable file name.`);
  return { ok: true, path: segments.join("/") };
}

function printable(text: string): string {
  return text.replace(/\0/g, "\\0");
}
