/** What an instruction says about the code it wants changed. */
export interface InstructionTerms {
  /** Things that look like paths or file names: `src/net/retry.ts`, `retry.ts`, `lib/net`. */
  mentions: string[];
  /** Code identifiers: back-ticked words, camelCase, PascalCase, snake_case (case kept). */
  identifiers: string[];
  /** Lower-case words of three letters or more, identifiers split into their parts, no stop words. */
  words: string[];
}

const stopWords = new Set(
  (
    "the and for with that this from into onto over under about when then than them they their there these those " +
    "was were are is be been being has have had does did done doing can could should would will shall may might must " +
    "not but also just only very more most less all any each every some such same other another both either " +
    "file files code function functions method methods class classes module modules make makes made use uses using " +
    "add adds added remove removes change changes changed update updates fix fixes refactor rename move extract " +
    "please want need new old out its it's his her our your you which what where who how why one two"
  ).split(" "),
);

const pathLike = /(?:^|[\s`'"([])((?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z][A-Za-z0-9]{0,7}|(?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)+\/?)(?=$|[\s`'"),:;!?\]])/g;
const backticked = /`([^`\n]{1,200})`/g;
const identifierLike = /[A-Za-z_$][A-Za-z0-9_$]*/g;

export function parseInstruction(instruction: string): InstructionTerms {
  const mentions = new Set<string>();
  for (const match of instruction.matchAll(pathLike)) {
    const mention = (match[1] ?? "").replace(/^\.?\//, "").replace(/[.]+$/, "").replace(/\/$/, "");
    if (mention.length > 1 && !/^\d+(\.\d+)*$/.test(mention) && !mention.includes("..")) mentions.add(mention);
  }

  // Words come from the prose; a mentioned path contributes only its file name ("retry" of src/net/retry.ts).
  let prose = instruction;
  for (const mention of mentions) prose = prose.split(mention).join(" ");
  const mentionStems = [...mentions].map((m) => (m.split("/").pop() ?? "").replace(/\.[^.]+$/, ""));

  const identifiers = new Set<string>();
  for (const match of prose.matchAll(backticked)) {
    for (const [word] of (match[1] ?? "").matchAll(identifierLike)) if (word.length >= 3) identifiers.add(word);
  }
  for (const [word] of prose.matchAll(identifierLike)) {
    const looksLikeCode = /[a-z][A-Z]|_|[A-Z][a-z]+[A-Z]/.test(word) || /^[A-Z][a-z]+[A-Z]/.test(word);
    if (word.length >= 3 && looksLikeCode) identifiers.add(word);
  }

  const words = new Set<string>();
  for (const word of [...[...prose.matchAll(identifierLike)].map((m) => m[0]), ...mentionStems]) {
    for (const part of [word, ...splitIdentifier(word)]) {
      const lower = part.toLowerCase();
      if (lower.length >= 3 && !stopWords.has(lower) && !/^\d+$/.test(lower)) words.add(lower);
    }
  }
  return { mentions: [...mentions], identifiers: [...identifiers], words: [...words] };
}

/** `parseHttpResponse` → parse, http, response; `MAX_RETRY_COUNT` → max, retry, count. */
export function splitIdentifier(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_$-]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.toLowerCase());
}
