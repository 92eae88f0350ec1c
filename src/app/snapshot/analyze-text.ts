import { createHash } from "node:crypto";
import type { TextFacts } from "../../adapters/snapshot/take-snapshot-deps";
import { secretPrefilter } from "../../adapters/snapshot/secret-scanner";
import type { StageClock } from "../../adapters/snapshot/stage-clock";
import { type TokenCountTable, findTokenCount } from "../../adapters/snapshot/token-count-table";
import type { TokenCounter } from "./count-o200k-tokens";

/** `tokens` of facts whose count is neither known nor counted yet (no counter was at hand). */
export const UNCOUNTED = -1;

/**
 * The CPU-heavy part of snapshotting one file, the same on a worker thread and on the main thread:
 * sha256, then the token count known for that digest or — without one — decode and an exact
 * o200k_base count, and the secret pre-filter. `content` is valid UTF-8 (the caller checked).
 * Without a counter, an unknown count comes back as UNCOUNTED, for `countText` once one is loaded.
 */
export function analyzeText(
  content: Uint8Array,
  prefilter: boolean,
  tools: { count: TokenCounter | undefined; known: TokenCountTable },
  clock: StageClock,
): TextFacts {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let lap = performance.now();
  const digest = createHash("sha256").update(bytes).digest();
  const sha256 = digest.toString("hex");
  lap = clock.lap("sha256", lap);
  const known = tools.known.count === 0 ? undefined : findTokenCount(tools.known, digest);
  if (tools.known.count > 0) lap = clock.lap("token count cache", lap);
  if (!prefilter && (known !== undefined || tools.count === undefined)) return { sha256, tokens: known ?? UNCOUNTED, suspicious: false };
  const text = bytes.toString("utf8");
  lap = clock.lap("decode", lap);
  const suspicious = prefilter && secretPrefilter.test(text);
  lap = clock.lap("secret pre-filter", lap);
  if (known !== undefined || tools.count === undefined) return { sha256, tokens: known ?? UNCOUNTED, suspicious };
  const tokens = tools.count(text);
  clock.lap("tokenize", lap);
  return { sha256, tokens, suspicious };
}

/** The count of facts that came back UNCOUNTED. */
export function countText(content: Uint8Array, count: TokenCounter, clock: StageClock): number {
  let lap = performance.now();
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("utf8");
  lap = clock.lap("decode", lap);
  const tokens = count(text);
  clock.lap("tokenize", lap);
  return tokens;
}
