import { type InstructionTerms, splitIdentifier } from "./instruction-terms";

/** What pass one over the snapshot learns about a file, without keeping its content. */
export interface FileFeatures {
  path: string;
  /** Provider tokens of the content (0 for links). */
  tokens: number;
  /** Occurrences of the instruction's identifiers in the content (capped). */
  identifierHits: number;
  /** Occurrences of the instruction's words in the content (capped). */
  wordHits: number;
  /** Snapshot paths this file imports. */
  imports: string[];
  /** Links have no content to send. */
  link?: boolean;
}

export type Tier = "named" | "relevant" | "other";

export interface RankedFile {
  path: string;
  tokens: number;
  tier: Tier;
  score: number;
  /** Why it ranks where it does: "named", "path", "content", "imports <path>", "imported by <path>". */
  reasons: string[];
  link?: boolean;
}

const MAX_HITS = 50;
const NEIGHBOUR_SOURCES = 10;

/** Regexes that count an instruction's identifiers and words in a file's text. */
export function createContentMatchers(terms: InstructionTerms): (text: string) => { identifierHits: number; wordHits: number } {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const identifiers = terms.identifiers.length === 0 ? undefined : new RegExp(`(?<![\\w$])(?:${terms.identifiers.map(escape).join("|")})(?![\\w$])`, "g");
  const words = terms.words.length === 0 ? undefined : new RegExp(`(?:${terms.words.map(escape).join("|")})`, "gi");
  const count = (pattern: RegExp | undefined, text: string) => {
    if (pattern === undefined) return 0;
    pattern.lastIndex = 0;
    let hits = 0;
    while (hits < MAX_HITS && pattern.exec(text) !== null) hits += 1;
    return hits;
  };
  return (text) => ({ identifierHits: count(identifiers, text), wordHits: count(words, text) });
}

/**
 * Orders files for the prompt: files the instruction names (in the order it names them), then files
 * scored by relevance — path and file-name matches, identifier and word matches in the content
 * (damped for very large files), and import neighbours of the best matches — then the rest.
 */
export function rankFiles(files: readonly FileFeatures[], terms: InstructionTerms): RankedFile[] {
  const ranked = new Map<string, RankedFile>();
  for (const file of files) {
    const mentionIndex = terms.mentions.findIndex((m) => file.path === m || file.path.endsWith(`/${m}`));
    const named = mentionIndex !== -1 && !file.link;
    const reasons: string[] = named ? ["named"] : [];
    const pathScore = scorePath(file.path, terms);
    if (pathScore > 0) reasons.push("path");
    const damp = 1 / (1 + Math.log2(1 + file.tokens / 4000));
    const contentScore = (Math.min(file.identifierHits, 10) * 3 + Math.min(file.wordHits, 15)) * damp;
    if (contentScore > 0) reasons.push("content");
    const score = named ? 1000 - mentionIndex : pathScore + contentScore;
    ranked.set(file.path, { path: file.path, tokens: file.tokens, tier: named ? "named" : score > 0 ? "relevant" : "other", score, reasons, link: file.link });
  }

  // Import neighbours of the strongest matches share in their relevance.
  const importers = new Map<string, string[]>();
  for (const file of files) {
    for (const target of file.imports) {
      const list = importers.get(target);
      if (list === undefined) importers.set(target, [file.path]);
      else list.push(file.path);
    }
  }
  const sources = [...ranked.values()].filter((f) => f.tier !== "other" && !f.link).sort(byRank).slice(0, NEIGHBOUR_SOURCES);
  const importsOf = new Map(files.map((f) => [f.path, f.imports]));
  for (const source of sources) {
    const weight = Math.min(source.score, 20) * 0.4;
    const neighbours = [
      ...(importsOf.get(source.path) ?? []).map((path) => ({ path, reason: `imported by ${source.path}` })),
      ...(importers.get(source.path) ?? []).map((path) => ({ path, reason: `imports ${source.path}` })),
    ];
    for (const { path, reason } of neighbours) {
      const neighbour = ranked.get(path);
      if (neighbour === undefined || neighbour.tier === "named" || neighbour.link) continue;
      neighbour.score += weight;
      neighbour.tier = "relevant";
      neighbour.reasons.push(reason);
    }
  }
  return [...ranked.values()].sort(byRank);
}

const tierOrder: Record<Tier, number> = { named: 0, relevant: 1, other: 2 };
const byRank = (a: RankedFile, b: RankedFile): number =>
  tierOrder[a.tier] - tierOrder[b.tier] || b.score - a.score || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function scorePath(path: string, terms: InstructionTerms): number {
  const segments = path.split("/");
  const name = segments.pop() ?? "";
  const stem = name.replace(/\.[^.]+$/, "");
  const stemParts = new Set(splitIdentifier(stem));
  const dirParts = new Set(segments.flatMap((segment) => splitIdentifier(segment)));
  const flatStem = stem.toLowerCase().replace(/[^a-z0-9]/g, "");
  let score = 0;
  for (const mention of terms.mentions) {
    if (path.startsWith(`${mention}/`) || path.includes(`/${mention}/`)) score += 10;
  }
  for (const identifier of terms.identifiers) {
    if (flatStem === identifier.toLowerCase().replace(/[^a-z0-9]/g, "")) score += 8;
  }
  for (const word of terms.words) {
    if (stemParts.has(word)) score += 6;
    else if (flatStem.includes(word)) score += 3;
    else if (dirParts.has(word)) score += 2;
  }
  return score;
}
