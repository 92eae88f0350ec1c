import { isUtf8 } from "node:buffer";
import type { ExclusionReason } from "../../core/ports/snapshot-port";
import { containsMarkerLine } from "./latx-format";

/** Like git and repomix: a NUL byte in the first 8 KB means binary. */
const BINARY_SNIFF_BYTES = 8000;

export type CheckedFile =
  | { kind: "text"; content: Buffer }
  | { kind: "excluded"; reason: ExclusionReason }
  | { kind: "vanished" };

/** Why a file that could not be read is left out. */
export function readFailure(error: unknown): CheckedFile {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return { kind: "vanished" };
  if (code === "ELOOP" || code === "EISDIR") return { kind: "excluded", reason: "not-a-file" };
  return { kind: "excluded", reason: "unreadable" };
}

/**
 * The byte-level checks a file's contents must pass before anything else looks at them: size,
 * binary sniff, UTF-8, framing. Cheap (a few GB/s); the costly work (decode, secret pre-filter,
 * hash, tokens) happens after, possibly on a worker thread.
 */
export function checkFile(content: Buffer, maxFileBytes: number): CheckedFile {
  if (content.length > maxFileBytes) return { kind: "excluded", reason: "too-large" };
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: "excluded", reason: "binary" };
  if (!isUtf8(content)) return { kind: "excluded", reason: "non-utf8-content" };
  if (containsMarkerLine(content)) return { kind: "excluded", reason: "unframeable-content" };
  return { kind: "text", content };
}
