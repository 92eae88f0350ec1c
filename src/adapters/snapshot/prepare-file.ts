import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import type { ExclusionReason, SecretsMode } from "../../core/ports/snapshot-port";
import { containsMarkerLine } from "./latx-format";
import { type SecretHit, type SecretScanner, redactSecrets } from "./secret-scanner";
import type { FileCandidate } from "./select-files";

/** Like git and repomix: a NUL byte in the first 8 KB means binary. */
const BINARY_SNIFF_BYTES = 8000;

export type PreparedFile =
  | { kind: "file"; path: string; content: Buffer; text: string; sha256: string; executable: boolean; hits: SecretHit[] }
  | { kind: "excluded"; path: string; reason: ExclusionReason }
  | { kind: "secret"; path: string; hits: SecretHit[] }
  | { kind: "vanished"; path: string };

export interface PrepareContext {
  maxFileBytes: number;
  secrets: SecretsMode;
  scanner: SecretScanner;
}

/**
 * One file through every check in a single read: size, binary sniff, UTF-8, framing, secrets,
 * then the bytes that will be sent and their sha256. Only this file's bytes are in memory, and
 * only until the writers (and the token counter) have them.
 */
export async function prepareFile(
  candidate: FileCandidate,
  context: PrepareContext & { read: () => Buffer | Promise<Buffer> },
): Promise<PreparedFile> {
  const { path } = candidate;
  let content: Buffer;
  try {
    content = await context.read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "vanished", path };
    if (code === "ELOOP" || code === "EISDIR") return { kind: "excluded", path, reason: "not-a-file" };
    return { kind: "excluded", path, reason: "unreadable" };
  }
  if (content.length > context.maxFileBytes) return { kind: "excluded", path, reason: "too-large" };
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: "excluded", path, reason: "binary" };
  if (!isUtf8(content)) return { kind: "excluded", path, reason: "non-utf8-content" };
  if (containsMarkerLine(content)) return { kind: "excluded", path, reason: "unframeable-content" };

  let text = content.toString("utf8");
  let hits: SecretHit[] = [];
  if (context.secrets !== "off") {
    hits = await context.scanner.scan(path, text);
    if (hits.length > 0 && context.secrets === "block") return { kind: "secret", path, hits };
    if (hits.length > 0) {
      text = redactSecrets(text, hits);
      content = Buffer.from(text, "utf8");
    }
  }
  return {
    kind: "file",
    path,
    content,
    sha256: createHash("sha256").update(content).digest("hex"),
    text,
    executable: candidate.executable,
    hits,
  };
}
