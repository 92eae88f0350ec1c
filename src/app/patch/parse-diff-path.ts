import type { DiffPath } from "./parsed-diff";

/**
 * Reads the path of a `---` / `+++` header the way models write it: with or without `a/` `b/`,
 * quoted with C escapes, followed by a tab and a timestamp, or by "(original)". `null` is
 * `/dev/null`.
 */
export function parseHeaderPath(text: string): DiffPath | null {
  const trimmed = text.trim();
  const raw = trimmed.startsWith('"') ? (unquote(trimmed)?.value ?? trimmed) : cleanUnquoted(trimmed);
  if (raw === "/dev/null" || raw === "dev/null") return null;
  return toDiffPath(raw);
}

/** The two paths of a `diff --git` line; equal names with spaces are split where they repeat. */
export function parseGitHeaderPaths(rest: string): { oldPath: DiffPath; newPath: DiffPath } | null {
  const text = rest.trim();
  if (text.startsWith('"')) {
    const first = unquote(text);
    if (first === undefined) return null;
    const second = text.slice(first.length).trim();
    const newRaw = second.startsWith('"') ? unquote(second)?.value : second;
    return newRaw === undefined || newRaw === "" ? null : { oldPath: toDiffPath(first.value), newPath: toDiffPath(newRaw) };
  }
  if (text.length % 2 === 1) {
    const half = (text.length - 1) / 2;
    const left = text.slice(0, half);
    const right = text.slice(half + 1);
    const sameName = left === right || (left.startsWith("a/") && right.startsWith("b/") && left.slice(2) === right.slice(2));
    if (sameName && text[half] === " ") return { oldPath: toDiffPath(left), newPath: toDiffPath(right) };
  }
  const split = text.indexOf(" b/");
  const at = split > 0 ? split : text.indexOf(" ");
  if (at <= 0) return null;
  const newRaw = text.slice(at + 1).trim();
  const newPath = newRaw.startsWith('"') ? unquote(newRaw)?.value : newRaw;
  return newPath === undefined ? null : { oldPath: toDiffPath(text.slice(0, at)), newPath: toDiffPath(newPath) };
}

/** A path from a `rename from` / `copy to` line: git writes these without prefixes. */
export function parsePlainPath(text: string): DiffPath {
  const trimmed = text.trim();
  const raw = trimmed.startsWith('"') ? (unquote(trimmed)?.value ?? trimmed) : trimmed;
  return { raw, stripped: raw };
}

export function toDiffPath(raw: string): DiffPath {
  const stripped = raw.startsWith("a/") || raw.startsWith("b/") ? raw.slice(2) : raw;
  return { raw, stripped };
}

/** Drops what tools and models append after the name: a tab and timestamp, or "(original)". */
function cleanUnquoted(text: string): string {
  let value = text.split("\t")[0] ?? text;
  value = value.replace(/\s+\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?( ?[+-]\d{4})?$/, "");
  value = value.replace(/\s+\((original|modified|new|old|before|after|working copy|revision \d+)\)$/i, "");
  return value.trim();
}

const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Git's C-style quoting, including octal escapes of UTF-8 bytes ("caf\303\251.ts"). */
function unquote(text: string): { value: string; length: number } | undefined {
  const bytes: number[] = [];
  for (let i = 1; i < text.length; i += 1) {
    const char = text[i] ?? "";
    if (char === '"') return { value: Buffer.from(bytes).toString("utf8"), length: i + 1 };
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const next = text[i + 1] ?? "";
    const octal = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4));
    if (octal !== null) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(escapes[next] ?? next, "utf8"));
      i += 1;
    }
  }
  return undefined;
}
