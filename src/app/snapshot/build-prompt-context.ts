import { HEADER_PATH, markerLine } from "../../adapters/snapshot/latx-format";
import type { ProviderId } from "../../core/ports/provider-port";
import type { SnapshotPort, SnapshotResult } from "../../core/ports/snapshot-port";
import { loadO200kCounter } from "./count-o200k-tokens";
import { resolveImport, importSpecifiers } from "./import-graph";
import { parseInstruction } from "./instruction-terms";
import { type PromptContextPlan, planPromptContext } from "./plan-prompt-context";
import { type FileFeatures, createContentMatchers, rankFiles } from "./rank-files";
import { estimateTokens } from "./token-estimate";

export interface PromptContextInput {
  instruction: string;
  provider: ProviderId;
  /** Token budget for the whole context block, in the provider's tokens. */
  maxTokens: number;
  /** The snapshot (its o200k counts are reused when present). */
  snapshot: Pick<SnapshotResult, "id" | "manifest"> & Partial<Pick<SnapshotResult, "tokens">>;
  /** Opens the snapshot's .latx afresh (from the blob store or the output directory); called twice. */
  openLatx: () => AsyncIterable<Uint8Array>;
}

export interface PromptContextDeps {
  snapshots: Pick<SnapshotPort, "entries">;
}

export interface PromptContext {
  /** The context block for the prompt: LookAtni markers, whole files only. */
  text: string;
  /** Its size in the provider's tokens (exact for OpenAI, corrected o200k for the others). */
  tokens: number;
  plan: PromptContextPlan;
}

/**
 * Fits a snapshot into a prompt's token budget. Pass one reads the .latx once to rank every file
 * against the instruction (keeping only scores, never contents); the plan picks what fits; pass two
 * reads the .latx again and keeps only the chosen files. The result is counted exactly and trimmed
 * by whole files if the framing made it overshoot.
 */
export async function buildPromptContext(input: PromptContextInput, deps: PromptContextDeps): Promise<PromptContext> {
  const count = await loadO200kCounter();
  const tokensOf = (text: string) => estimateTokens(count(text), input.provider);
  const terms = parseInstruction(input.instruction);
  const matchContent = createContentMatchers(terms);
  const paths = new Set(input.snapshot.manifest.files.map((file) => file.path));
  const known = input.snapshot.tokens?.byPath;

  const features: FileFeatures[] = input.snapshot.manifest.files
    .filter((file) => file.mode === "120000")
    .map((file) => ({ path: file.path, tokens: 0, identifierHits: 0, wordHits: 0, imports: [], link: true }));
  for await (const entry of deps.snapshots.entries(input.openLatx())) {
    const text = Buffer.from(entry.content).toString("utf8");
    const o200k = known?.get(entry.path) ?? count(text);
    const imports = importSpecifiers(entry.path, text)
      .map((specifier) => resolveImport(entry.path, specifier, paths))
      .filter((path): path is string => path !== undefined && path !== entry.path);
    features.push({ path: entry.path, tokens: estimateTokens(o200k, input.provider), ...matchContent(text), imports });
  }

  const ranked = rankFiles(features, terms);
  const plan = planPromptContext(ranked, input.maxTokens, {
    header: tokensOf(renderHeader(input.snapshot.id, 0, features.length, [])),
    framing: (path) => tokensOf(markerLine(path).toString("utf8")) + 1,
    pathLine: (path) => tokensOf(`${path}\n`),
  });

  const wanted = new Set(plan.files.map((file) => file.path));
  const contents = new Map<string, string>();
  for await (const entry of deps.snapshots.entries(input.openLatx())) {
    if (wanted.has(entry.path)) contents.set(entry.path, Buffer.from(entry.content).toString("utf8"));
  }
  return fitExactly(plan, contents, input.snapshot.id, features.length, tokensOf);
}

/** Renders, counts, and drops the lowest-ranked file while the exact count is over budget. */
function fitExactly(
  plan: PromptContextPlan,
  contents: ReadonlyMap<string, string>,
  snapshotId: string,
  total: number,
  tokensOf: (text: string) => number,
): PromptContext {
  for (;;) {
    const text = renderContext(plan, contents, snapshotId, total);
    const tokens = tokensOf(text);
    const last = plan.files.at(-1);
    if (tokens <= plan.budget || last === undefined) return { text, tokens, plan };
    plan.files.pop();
    plan.pathsOnly.unshift(last.path);
    plan.leftOut.unshift({ path: last.path, tokens: last.tokens, reason: "over-budget", listed: true });
  }
}

function renderHeader(snapshotId: string, inFull: number, total: number, pathsOnly: readonly string[]): string {
  const lines = [
    `Snapshot: ${snapshotId}`,
    `Files in full: ${inFull} of ${total}`,
    ...(pathsOnly.length === 0 ? [] : [`Other files, by path only (${pathsOnly.length}):`, ...pathsOnly]),
  ];
  return `${markerLine(HEADER_PATH).toString("utf8")}${lines.join("\n")}\n\n`;
}

function renderContext(plan: PromptContextPlan, contents: ReadonlyMap<string, string>, snapshotId: string, total: number): string {
  const blocks = plan.files.map((file) => `${markerLine(file.path).toString("utf8")}${contents.get(file.path) ?? ""}\n`);
  return renderHeader(snapshotId, plan.files.length, total, plan.pathsOnly) + blocks.join("");
}
