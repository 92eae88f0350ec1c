import type { RankedFile } from "./rank-files";

export type Inclusion = "all-fit" | "named" | "relevant";
/** over-budget: relevant but too large for what was left; not-relevant: no match; link: no content. */
export type LeftOutReason = "over-budget" | "not-relevant" | "link";

export interface PlannedFile {
  path: string;
  tokens: number;
  why: Inclusion;
  reasons: string[];
}

export interface LeftOutFile {
  path: string;
  tokens: number;
  reason: LeftOutReason;
  /** True when the path still appears in the context's file list. */
  listed: boolean;
}

export interface PromptContextPlan {
  budget: number;
  /** Files sent in full, in priority order. */
  files: PlannedFile[];
  /** Files named by path only (not relevant enough, or too large for what was left). */
  pathsOnly: string[];
  leftOut: LeftOutFile[];
  /** Estimated tokens of everything planned (framing included). */
  estimatedTokens: number;
}

export interface PlanCosts {
  /** Tokens of the fixed header around the context. */
  header: number;
  /** Tokens a file's framing (marker line and separator) adds to its content. */
  framing(path: string): number;
  /** Tokens one line of the path list costs. */
  pathLine(path: string): number;
}

/** Share of the budget kept for the path list when not everything fits. */
const PATH_LIST_SHARE = 0.1;

/**
 * Packs files into a token budget without ever cutting one: when everything fits, everything goes;
 * otherwise named files first, then relevant files in rank order (a file that does not fit is
 * skipped whole and the next ones are tried) up to the budget less a small reserve, then the
 * remaining paths as a list while room lasts.
 */
export function planPromptContext(ranked: readonly RankedFile[], budget: number, costs: PlanCosts): PromptContextPlan {
  const content = ranked.filter((file) => !file.link);
  const fullCost = (file: RankedFile) => file.tokens + costs.framing(file.path);
  const everything = costs.header + content.reduce((sum, file) => sum + fullCost(file), 0);
  if (everything <= budget) {
    const links = ranked.filter((file) => file.link === true);
    const linkCost = links.reduce((sum, file) => sum + costs.pathLine(file.path), 0);
    if (everything + linkCost <= budget) {
      return {
        budget,
        files: content.map((file) => ({ path: file.path, tokens: file.tokens, why: "all-fit", reasons: file.reasons })),
        pathsOnly: links.map((file) => file.path),
        leftOut: [],
        estimatedTokens: everything + linkCost,
      };
    }
  }

  // Relevant files leave room for a list of the other paths: the layout of the tree helps the model.
  const listEverything = ranked.reduce((sum, file) => sum + costs.pathLine(file.path), 0);
  const reserve = Math.min(listEverything, Math.floor(budget * PATH_LIST_SHARE));
  let used = costs.header;
  const files: PlannedFile[] = [];
  const rest: { file: RankedFile; reason: LeftOutReason }[] = [];
  for (const file of ranked) {
    if (file.tier === "other" || file.link === true) {
      rest.push({ file, reason: file.link === true ? "link" : "not-relevant" });
      continue;
    }
    const cost = fullCost(file);
    const limit = file.tier === "named" ? budget : budget - reserve;
    if (used + cost <= limit) {
      files.push({ path: file.path, tokens: file.tokens, why: file.tier === "named" ? "named" : "relevant", reasons: file.reasons });
      used += cost;
    } else rest.push({ file, reason: "over-budget" });
  }

  const pathsOnly: string[] = [];
  const leftOut: LeftOutFile[] = [];
  for (const { file, reason } of rest) {
    const cost = costs.pathLine(file.path);
    const listed = used + cost <= budget;
    if (listed) {
      pathsOnly.push(file.path);
      used += cost;
    }
    leftOut.push({ path: file.path, tokens: file.tokens, reason, listed });
  }
  return { budget, files, pathsOnly, leftOut, estimatedTokens: used };
}
