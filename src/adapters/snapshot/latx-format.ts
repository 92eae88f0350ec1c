/**
 * LookAtni marker spec v1 as grompt writes it (DESIGN.md §11): a marker line
 * `//` 0x1C `/ <path> /` 0x1C `//`, then `\n`, the file's bytes, and exactly one `\n` separator.
 * Readers drop that one separator, so every file's bytes come back exactly.
 */
export const FILE_SEPARATOR = 0x1c;
export const HEADER_PATH = "PROJECT_INFO";

const FS = String.fromCharCode(FILE_SEPARATOR);
export const MARKER_PREFIX = Buffer.from(`//${FS}/ `, "latin1");
export const MARKER_SUFFIX = Buffer.from(` /${FS}//`, "latin1");
/** Longest marker line a reader accepts (Linux paths are at most 4096 bytes). */
export const MAX_MARKER_LINE_BYTES = 8192;

export const markerLine = (path: string): Buffer => Buffer.from(`//${FS}/ ${path} /${FS}//\n`, "utf8");

/** A path can be framed when it fits on one marker line and cannot be mistaken for the framing. */
export const isFramablePath = (path: string): boolean =>
  path.length > 0 && !path.includes("\n") && !path.includes(FS) && !path.includes("\r");

/** The path of a marker line (without its `\n`), or undefined when the line is not a marker. */
export function parseMarkerLine(line: Uint8Array): string | undefined {
  const bytes = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  const minimum = MARKER_PREFIX.length + MARKER_SUFFIX.length + 1;
  if (bytes.length < minimum || bytes.length > MAX_MARKER_LINE_BYTES) return undefined;
  if (!bytes.subarray(0, MARKER_PREFIX.length).equals(MARKER_PREFIX)) return undefined;
  if (!bytes.subarray(bytes.length - MARKER_SUFFIX.length).equals(MARKER_SUFFIX)) return undefined;
  return bytes.subarray(MARKER_PREFIX.length, bytes.length - MARKER_SUFFIX.length).toString("utf8");
}

/** True when some line of `content` would be read as a marker, which would break the framing. */
export function containsMarkerLine(content: Uint8Array): boolean {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (!bytes.includes(FILE_SEPARATOR)) return false;
  let at = bytes.indexOf(MARKER_PREFIX);
  while (at !== -1) {
    if (at === 0 || bytes[at - 1] === 0x0a) {
      const end = bytes.indexOf(0x0a, at);
      if (parseMarkerLine(bytes.subarray(at, end === -1 ? bytes.length : end)) !== undefined) return true;
    }
    at = bytes.indexOf(MARKER_PREFIX, at + 1);
  }
  return false;
}

export interface LatxHeader {
  snapshotId: string;
  files: number;
  bytes: number;
  /** Paths of files whose mode is 100755. */
  executables: string[];
  links: { path: string; target: string }[];
}

/**
 * The PROJECT_INFO block: facts only, no wall-clock time, no absolute path, no host name, so the
 * same selection gives the same bytes on every machine. Paths are JSON strings (unambiguous).
 */
export function formatHeader(header: LatxHeader): Buffer {
  const lines = [
    "Generator: grompt",
    "MarkerSpec: v1",
    `FS: ${FILE_SEPARATOR}`,
    "MarkerTokens: //\\x1C/ <path> /\\x1C//",
    "Encoding: utf-8",
    "Framing: marker line, LF, file bytes, one LF separator",
    `Snapshot: ${header.snapshotId}`,
    `Total Files: ${header.files}`,
    `Total Bytes: ${header.bytes}`,
    ...header.executables.map((path) => `Executable: ${JSON.stringify(path)}`),
    ...header.links.map((link) => `Link: ${JSON.stringify(link.path)} -> ${JSON.stringify(link.target)}`),
  ];
  return Buffer.concat([markerLine(HEADER_PATH), Buffer.from(`${lines.join("\n")}\n\n`, "utf8")]);
}

const jsonString = String.raw`"(?:[^"\\]|\\.)*"`;
const linkLine = new RegExp(`^Link: (${jsonString}) -> (${jsonString})$`);
const executableLine = new RegExp(`^Executable: (${jsonString})$`);

/** Reads the parts of a PROJECT_INFO block that extraction needs; other lines are ignored. */
export function parseHeader(text: string): Pick<LatxHeader, "executables" | "links"> {
  const executables: string[] = [];
  const links: { path: string; target: string }[] = [];
  for (const line of text.split("\n")) {
    const link = linkLine.exec(line);
    if (link?.[1] !== undefined && link[2] !== undefined) {
      links.push({ path: JSON.parse(link[1]) as string, target: JSON.parse(link[2]) as string });
      continue;
    }
    const executable = executableLine.exec(line);
    if (executable?.[1] !== undefined) executables.push(JSON.parse(executable[1]) as string);
  }
  return { executables, links };
}
