import type { StageClock } from "./stage-clock";
import type { TokenCountCache } from "./token-count-cache";
import type { TokenCountTable } from "./token-count-table";

/** What the heavy per-file work finds out about a file's contents. */
export interface TextFacts {
  sha256: string;
  /** Exact o200k_base token count. */
  tokens: number;
  /** The secret pre-filter matched: the full rule set must look at the file. */
  suspicious: boolean;
}

/** Decode, secret pre-filter, sha256 and token count of file contents, possibly off the main thread. */
export interface TextAnalysis {
  /** `content` is valid UTF-8 and is not modified; `prefilter: false` skips the secret pre-filter. */
  analyze(content: Buffer, prefilter: boolean): Promise<TextFacts>;
  /** Stops the workers; returns each worker's time per stage (none when it ran on this thread). */
  close(): Promise<Record<string, number>[]>;
}

export interface TakeSnapshotDeps {
  /**
   * Opens the analysis for about `expectedBytes` of text; work on this thread is timed on `clock`;
   * `known` holds token counts of earlier snapshots by content digest.
   */
  openTextAnalysis: (expectedBytes: number, clock: StageClock, known: TokenCountTable) => Promise<TextAnalysis>;
  /** Token counts by content across snapshots; without it every file is counted. */
  tokenCounts?: TokenCountCache;
}
