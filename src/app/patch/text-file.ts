/**
 * A text file as lines, keeping everything the patch must not disturb: each line's own ending
 * (CRLF stays CRLF, even in a mixed file), whether the last line ends in a newline, and a BOM.
 */
export interface TextFile {
  bom: boolean;
  /** Lines without their endings. */
  lines: string[];
  /** Each line's ending: "\n", "\r\n", or "" for a last line without one. */
  endings: string[];
  /** The ending most lines use; given to added lines. */
  eol: "\n" | "\r\n";
}

export function splitText(text: string): TextFile {
  const bom = text.startsWith("\uFEFF");
  const body = bom ? text.slice(1) : text;
  const lines: string[] = [];
  const endings: string[] = [];
  let crlf = 0;
  let start = 0;
  while (start < body.length) {
    const newline = body.indexOf("\n", start);
    if (newline === -1) {
      lines.push(body.slice(start));
      endings.push("");
      break;
    }
    const isCrlf = newline > start && body.charCodeAt(newline - 1) === 13;
    if (isCrlf) crlf += 1;
    lines.push(body.slice(start, isCrlf ? newline - 1 : newline));
    endings.push(isCrlf ? "\r\n" : "\n");
    start = newline + 1;
  }
  const lf = endings.filter((ending) => ending === "\n").length;
  return { bom, lines, endings, eol: crlf > lf ? "\r\n" : "\n" };
}

export function joinText(file: TextFile): string {
  let text = file.bom ? "\uFEFF" : "";
  for (let i = 0; i < file.lines.length; i += 1) text += `${file.lines[i] ?? ""}${file.endings[i] ?? ""}`;
  return text;
}

export const endsWithNewline = (file: TextFile): boolean => file.lines.length === 0 || file.endings[file.lines.length - 1] !== "";

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Bytes → text, or undefined for what git would call binary (a NUL byte) or for non-UTF-8. */
export function decodeTextFile(bytes: Uint8Array): string | undefined {
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
