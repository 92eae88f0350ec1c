import { createHash } from "node:crypto";
import type { TextFacts } from "../../adapters/snapshot/take-snapshot";
import { secretPrefilter } from "../../adapters/snapshot/secret-scanner";
import type { StageClock } from "../../adapters/snapshot/stage-clock";
import type { TokenCounter } from "./count-o200k-tokens";

/**
 * The CPU-heavy part of snapshotting one file, the same on a worker thread and on the main thread:
 * decode, secret pre-filter, sha256, exact o200k_base token count. `content` is valid UTF-8 (the
 * caller checked).
 */
export function analyzeText(content: Uint8Array, prefilter: boolean, count: TokenCounter, clock: StageClock): TextFacts {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let lap = performance.now();
  const text = bytes.toString("utf8");
  lap = clock.lap("decode", lap);
  const suspicious = prefilter && secretPrefilter.test(text);
  lap = clock.lap("secret pre-filter", lap);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  lap = clock.lap("sha256", lap);
  const tokens = count(text);
  clock.lap("tokenize", lap);
  return { sha256, tokens, suspicious };
}
