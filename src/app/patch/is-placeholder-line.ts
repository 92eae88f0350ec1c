/**
 * Recognises the elisions models write instead of code — `// ... existing code ...`,
 * `# ...rest unchanged`, `/* rest of the file *\/`, `<!-- ... -->` — so a hunk holding one is refused
 * instead of deleting the code it stands for. Only whole-line comments (or a bare ellipsis) count,
 * and only when the whole comment is the elision: "keep the cache unchanged" is a real comment.
 */
export function isPlaceholderLine(text: string, path: string): boolean {
  const trimmed = text.trim();
  if (trimmed === "") return false;
  if (/^(\.\.\.|…)$/.test(trimmed)) return !pythonLike(path);
  const comment = commentBody(trimmed);
  if (comment === undefined) return false;
  const body = comment.toLowerCase().replace(/\s+/g, " ").trim();
  if (/^((\.\s?){2,}\.?|…)$/.test(body)) return true;
  // "... more tests ...": a comment wrapped in ellipses stands for code.
  if (/^(\.\.\.|…).*(\.\.\.|…)$/.test(body)) return true;
  // "... existing code", "rest of the class ...": an ellipsis at either end plus an elision word.
  if (/^(\.\.\.|…)|(\.\.\.|…)\W*$/.test(body) && elisionWords.test(body)) return true;
  const words = body.replace(/[()[\]{}:;.,!?…"'`*_-]+/g, " ").replace(/\s+/g, " ").trim();
  return elisionSentences.some((sentence) => sentence.test(words));
}

const elisionWords =
  /\b(existing|unchanged|rest|remaining|same|omitted|previous|other|etc|code|continues?|implementation|methods|functions|imports|props|fields)\b/;

const subject = "(the |all )?(rest|remainder|remaining|existing|other|previous|original|everything else|all else)";
const things = "(code|file|class|function|method|module|component|implementation|body|config|tests?|imports|exports|methods|functions|logic|content|props|fields|lines|cases|routes|styles|rules|setup)";
const verdict = "(unchanged|omitted( for brevity)?|same as before|as before|as is|the same|here|goes here|below|above)";

/** Whole comments that are an elision and nothing else. */
const elisionSentences: RegExp[] = [
  new RegExp(`^(the )?(rest|remainder) of (the |this )?(\\w+ )?${things}( (is|are|remains?|stays?))?( ${verdict})?$`),
  new RegExp(`^(${subject}( \\w+){0,2} )?((is|are|remains?|stays?) )?(unchanged|omitted( for brevity)?|same as before|as before)$`),
  new RegExp(`^${subject} ${things}( (is|are|remains?|stays?))?( ${verdict})?$`),
  new RegExp(`^(keep|kept|leave|include|insert) (the |all )?(existing|original|other|remaining|previous) (\\w+ )?${things}( ${verdict})?$`),
  /^(your|the) (existing|original) (code|implementation)( here)?$/,
  /^(existing|original) code( here)?$/,
  /^(code|implementation) (unchanged|omitted|here)$/,
];

/** The text of a line that is entirely a comment, or undefined for code. */
function commentBody(line: string): string | undefined {
  const patterns: RegExp[] = [
    /^\/\/+\s?(.*)$/,
    /^#+\s?(.*)$/,
    /^--\s?(.*)$/,
    /^;+\s?(.*)$/,
    /^\/\*+\s?(.*?)\s*\*+\/$/,
    /^\{\/\*\s?(.*?)\s*\*\/\}$/,
    /^<!--\s?(.*?)\s*-->$/,
    /^"""\s?(.*?)\s*"""$/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(line);
    if (match !== null) return match[1] ?? "";
  }
  return undefined;
}

/** In Python (and its stubs) a bare `...` is a real statement. */
function pythonLike(path: string): boolean {
  return /\.(py|pyi|pyw)$/i.test(path);
}
