/** Comment openers in the languages grompt is likely to edit. */
const commentLead = /^\s*(?:\/\/+|#+|\/\*+|<!--|--|;+)\s*/;
const ellipsis = /\.{3}|…/;
const placeholderWords =
  /\b(?:existing|unchanged|rest of|remaining|same as (?:before|above)|as before|omitted|other (?:code|methods|functions|fields|imports|cases|lines)|previous (?:code|content|implementation)|code (?:here|continues)|keep (?:the )?(?:rest|existing))\b/i;

/**
 * True for a line that stands in for code the model did not write out — `// ... existing code ...`,
 * `# ... rest unchanged`, `/* ... *\/`. Such a diff cannot apply, or applies and deletes the code.
 * Plain code is never matched: Python's `...` statement and JS spread have no comment lead.
 */
export function isElisionPlaceholder(line: string): boolean {
  const lead = commentLead.exec(line);
  if (lead === null) return false;
  const body = line.slice(lead[0].length).replace(/(?:\*\/|-->)\s*$/, "").trim();
  if (!ellipsis.test(body)) return false;
  const withoutDots = body.replace(/\.{3,}|…/g, "").trim();
  return withoutDots === "" || placeholderWords.test(body);
}
