import type * as Yaml from "yaml";
import type { Document } from "yaml";
import { lazyRequire } from "../lazy-require";

// Loaded on the first prompt file parsed.
const yaml = lazyRequire<typeof Yaml>("yaml");

/** A 1-based position in a file. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface YamlSource {
  /** The document as plain JavaScript (undefined when the text has syntax errors). */
  value: unknown;
  /** YAML syntax errors, each with its position. */
  syntaxErrors: { position: SourcePosition; message: string }[];
  /** Where the value (or, with `key`, the key) at a path starts; the nearest existing ancestor otherwise. */
  locate(path: readonly PropertyKey[], target?: "value" | "key"): SourcePosition;
  /** Maps a 1-based line/column inside a string value (a template) to its position in the file. */
  locateInText(path: readonly PropertyKey[], inner: SourcePosition): SourcePosition;
}

type Ranged = { range?: [number, number, number] | null };

/** Parses YAML keeping enough of the syntax tree to point every problem at its line and column. */
export function parseYamlSource(text: string): YamlSource {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntaxErrors = document.errors.map((error) => ({
    position: at(error.pos[0]),
    message: error.message.split("\n")[0] ?? error.message,
  }));

  const locate = (path: readonly PropertyKey[], target: "value" | "key" = "value"): SourcePosition => {
    for (let length = path.length; length >= 0; length--) {
      const prefix = path.slice(0, length);
      const wantKey = target === "key" && length === path.length;
      const node = wantKey ? keyNode(document, prefix) : (document.getIn(prefix, true) as Ranged | undefined);
      if (node?.range) return at(node.range[0]);
      // A missing value still has a key line worth pointing at (`template:` with nothing after it).
      const key = keyNode(document, prefix);
      if (key?.range) return at(key.range[0]);
    }
    return { line: 1, column: 1 };
  };

  const locateInText = (path: readonly PropertyKey[], inner: SourcePosition): SourcePosition => {
    const node = document.getIn(path, true);
    if (!yaml().isScalar(node) || !node.range) return locate(path);
    const start = at(node.range[0]);
    if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
      // Content starts on the line after the `|` indicator, indented by the block's indentation.
      const indent = blockIndent(text, lineCounter.lineStarts[start.line] ?? text.length);
      return { line: start.line + inner.line, column: indent + inner.column };
    }
    const quote = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
    return inner.line === 1 ? { line: start.line, column: start.column + quote + inner.column - 1 } : start;
  };

  return { value: document.errors.length > 0 ? undefined : document.toJS(), syntaxErrors, locate, locateInText };
}

/** The key node of the last path segment (for "unknown key" messages). */
function keyNode(document: Document, path: readonly PropertyKey[]): Ranged | undefined {
  if (path.length === 0) return undefined;
  const { isMap, isPair, isScalar } = yaml();
  const parent = document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = path[path.length - 1];
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
  return pair !== undefined && isScalar(pair.key) ? (pair.key as Ranged) : undefined;
}

/** Leading spaces of the first non-blank line at or after `offset`. */
function blockIndent(text: string, offset: number): number {
  const rest = text.slice(offset).split("\n");
  const first = rest.find((line) => line.trim() !== "") ?? "";
  return first.length - first.trimStart().length;
}
