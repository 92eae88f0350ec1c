import { GromptError } from "../../core/domain/errors";
import { HEADER_PATH, MARKER_PREFIX, MAX_MARKER_LINE_BYTES, parseMarkerLine } from "./latx-format";

export type LatxEvent =
  | { type: "start"; path: string; header: boolean }
  | { type: "data"; chunk: Buffer }
  | { type: "end" };

const NEWLINE = Buffer.from("\n");

/**
 * Streams a .latx as events without holding more than one line candidate in memory: a line is
 * buffered only while it still looks like a marker. The one `\n` before each marker (and at the
 * end) is the separator and is dropped, so contents come back byte for byte.
 */
export async function* parseLatx(source: AsyncIterable<Uint8Array>): AsyncGenerator<LatxEvent> {
  let inEntry = false;
  let entries = 0;
  let pendingNewline = false;
  let atLineStart = true;
  let candidate: Buffer[] = [];
  let candidateLength = 0;

  /** Bytes of the current entry; a held `\n` turns out to be content when more content follows. */
  function* content(bytes: Buffer): Generator<LatxEvent> {
    if (!inEntry) {
      if (bytes.length === 0) return;
      throw new GromptError("snapshot_invalid", "The file does not start with a LookAtni marker line", {
        hint: "Give a .latx written by `grompt snapshot` (its first line is the PROJECT_INFO marker).",
      });
    }
    if (pendingNewline) {
      pendingNewline = false;
      yield { type: "data", chunk: NEWLINE };
    }
    if (bytes.length > 0) yield { type: "data", chunk: bytes };
  }

  function* marker(path: string): Generator<LatxEvent> {
    if (inEntry) yield { type: "end" };
    pendingNewline = false;
    inEntry = true;
    yield { type: "start", path, header: entries === 0 && path === HEADER_PATH };
    entries += 1;
  }

  for await (const piece of source) {
    const chunk = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    let i = 0;
    while (i < chunk.length) {
      if (!atLineStart) {
        const newline = chunk.indexOf(0x0a, i);
        if (newline === -1) {
          yield* content(chunk.subarray(i));
          break;
        }
        yield* content(chunk.subarray(i, newline));
        pendingNewline = true;
        atLineStart = true;
        i = newline + 1;
        continue;
      }
      // At a line start: keep bytes while the line can still be a marker.
      const newline = chunk.indexOf(0x0a, i);
      const end = newline === -1 ? chunk.length : newline;
      const take = chunk.subarray(i, end);
      candidate.push(take);
      candidateLength += take.length;
      const line = candidate.length === 1 ? take : Buffer.concat(candidate, candidateLength);
      const prefixLength = Math.min(line.length, MARKER_PREFIX.length);
      const stillPossible =
        line.subarray(0, prefixLength).equals(MARKER_PREFIX.subarray(0, prefixLength)) &&
        line.length <= MAX_MARKER_LINE_BYTES;
      if (newline === -1 && stillPossible) break; // wait for more bytes
      candidate = [];
      candidateLength = 0;
      const path = newline === -1 ? undefined : parseMarkerLine(line);
      if (path !== undefined) {
        yield* marker(path);
        i = newline + 1;
        continue;
      }
      yield* content(line);
      if (newline === -1) {
        atLineStart = false;
        break;
      }
      pendingNewline = true;
      i = newline + 1;
    }
  }
  if (candidateLength > 0) {
    const line = Buffer.concat(candidate, candidateLength);
    const path = parseMarkerLine(line);
    if (path !== undefined) yield* marker(path);
    else yield* content(line);
  }
  if (!inEntry) {
    throw new GromptError("snapshot_invalid", "The file holds no LookAtni marker", {
      hint: "Give a .latx written by `grompt snapshot`.",
    });
  }
  yield { type: "end" };
}

export interface LatxEntry {
  path: string;
  header: boolean;
  content: Buffer;
}

/** Whole entries, one at a time (each file's bytes are joined; files are bounded by the size limit). */
export async function* readLatxEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<LatxEntry> {
  let current: { path: string; header: boolean; chunks: Buffer[] } | undefined;
  for await (const event of parseLatx(source)) {
    if (event.type === "start") current = { path: event.path, header: event.header, chunks: [] };
    else if (event.type === "data") current?.chunks.push(event.chunk);
    else if (current !== undefined) {
      yield { path: current.path, header: current.header, content: Buffer.concat(current.chunks) };
      current = undefined;
    }
  }
}
