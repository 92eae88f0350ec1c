import type { PatchProblem } from "./patch-problem";

/** Model answers are a few hundred KB at most; anything near 50 MB is not a diff worth reading. */
export const defaultMaxAnswerBytes = 10 * 1024 * 1024;

export type DecodedAnswer = { ok: true; text: string } | { ok: false; problem: PatchProblem };

/**
 * Turns the raw answer into text, refusing what cannot be a diff: nothing at all, more than
 * `maxBytes`, or bytes that are not UTF-8 (decoding them would corrupt every file they touch).
 */
export function decodeAnswer(input: string | Uint8Array, maxBytes = defaultMaxAnswerBytes): DecodedAnswer {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
  if (size > maxBytes) {
    // Callers may stop reading at maxBytes + 1, so the real size is not always known.
    return refuse("input-too-large", `The answer is larger than ${formatBytes(maxBytes)}, the most the patch engine reads.`);
  }
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      return refuse("input-not-utf8", `The answer is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8Offset(input)}).`);
    }
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  if (text.trim() === "") return refuse("input-empty", "The answer is empty.");
  return { ok: true, text };
}

function refuse(reason: PatchProblem["reason"], message: string): DecodedAnswer {
  return { ok: false, problem: { reason, message } };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Where decoding fails, so the message points at the byte (a binary blob, a Latin-1 accent...). */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let low = 0;
  let high = bytes.byteLength;
  // A prefix decodes (an unfinished sequence at its end is buffered, not an error) until it
  // includes the first bad byte, so the property is monotonic and a binary search finds it.
  const decodes = (end: number): boolean => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (decodes(middle)) low = middle;
    else high = middle;
  }
  // The prefix may end inside the bad sequence (a lead byte waiting for its continuation): point
  // at the sequence's lead byte.
  let lead = low;
  while (lead > 0 && ((bytes[lead - 1] ?? 0) & 0xc0) === 0x80) lead -= 1;
  return lead > 0 && (bytes[lead - 1] ?? 0) >= 0xc0 ? lead - 1 : low;
}
