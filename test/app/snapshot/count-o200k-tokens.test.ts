import { readFileSync } from "node:fs";
import { join } from "node:path";
import fg from "fast-glob";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";
import { describe, expect, it } from "vitest";
import { loadO200kCounter } from "../../../src/app/snapshot/count-o200k-tokens";
import { NEEDS_REGEX, pieceEnd } from "../../../src/app/snapshot/o200k-pieces";
import { estimateTokens } from "../../../src/app/snapshot/token-estimate";

const plain = { disallowedSpecial: new Set<string>() };
const reference = (text: string) => countTokens(text, plain);

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const asciiAlphabet = [..."abcXYZ019 \t\n\r\v\f'sdmtllvere_-./\\()[]{}<>|\"`~!@#$%^&*+=:;,?", "\x00", "\x1c", "\x7f"];
const unicodeAlphabet = [...asciiAlphabet, "é", "É", "ß", "ǅ", "ʰ", "あ", "中", "١", "²", "\u00a0", "\u2028", "\u3000", "\ufeff", "😀", "👍🏽", "\u0301", "ſ"];
const fuzz = (alphabet: string[], seed: number, count: number) => {
  const next = random(seed);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 60) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(""));
};

describe("o200k token counts", () => {
  it("equal gpt-tokenizer's countTokens on this repository's sources", async () => {
    const count = await loadO200kCounter();
    const root = join(import.meta.dirname, "..", "..", "..");
    const files = await fg(["src/**/*.ts", "README.md", "docs/*.md", "node_modules/gpt-tokenizer/README.md", "node_modules/zod/README.md"], { cwd: root, absolute: true });
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      expect(count(text), file).toBe(reference(text));
    }
  });

  it("equal gpt-tokenizer's on random ASCII and Unicode text", async () => {
    const count = await loadO200kCounter();
    for (const text of [...fuzz(asciiAlphabet, 1, 3000), ...fuzz(unicodeAlphabet, 2, 3000)]) {
      expect(count(text), JSON.stringify(text)).toBe(reference(text));
    }
    for (const text of ["", "<|endoftext|>", "don't WON'T you'LL", "a".repeat(5000), " ".repeat(100) + "x", "1234567890", "\n\n  \n\t x"]) {
      expect(count(text), JSON.stringify(text)).toBe(reference(text));
    }
  });

  it("equal gpt-tokenizer's on long pieces (merged through a heap rather than the quadratic loop)", async () => {
    const count = await loadO200kCounter();
    const next = random(5);
    const alphabets = [["a", "b"], ["=", "-", "*"], ["é", "ß", "x"], ["😀", "👍🏽", "中"], ["ab", "ing", "er", "Q"], ["1", "2", "3"]];
    const texts = alphabets.flatMap((alphabet) =>
      Array.from({ length: 25 }, () => Array.from({ length: 97 + Math.floor(next() * 700) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("")),
    );
    for (const text of [...texts, "=".repeat(3000), "😀".repeat(1500), "abcdefghij".repeat(300), "-".repeat(97)]) {
      expect(count(text), JSON.stringify(text.slice(0, 40))).toBe(reference(text));
    }
  });

  it("equal gpt-tokenizer's on a varied fixture, whole and line by line (short pieces are keyed by their characters)", async () => {
    const count = await loadO200kCounter();
    const fixture = [
      "const naïve = café + 'Crème brûlée'; // Ünïcödé identifiers: ΑΒΓ δέλτα, Привет мир, 你好世界, こんにちは",
      "emoji 😀😀😀 👍🏽 👨‍👩‍👧‍👦 🇧🇷 ✔︎ and ZWJ\u200d joins, combining e\u0301 marks, ﬁ ligatures",
      `${" ".repeat(40)}indented${"\t".repeat(9)}tabs\r\n\r\n\r\n${" ".repeat(300)}\r\n${"\n".repeat(50)}end`,
      "numbers 1 12 123 1234 12345 3.14159 1e10 0x1F 1_000_000 ١٢٣٤ ²³ 100% $9.99 -42",
      "line one\r\nline two\r\n\r\n  indented\r\n\ttabbed\r\n",
      "aaaa bbbb cccc dddd eeeeeeee ffffffffgggg abcdefgh ABCDEFGH AbCdEfGh zzzzzzz 'll 've 're",
      "wxyz!!!! ---- ==== .... //// #### $$$$ {{{{ }}}} :::: ;;;; 1234 5678 9999 0000",
      "x = [1,2,3]; y = {a:1,b:2}; z = `template ${x}`; // TODO(): fix \u00a0 nbsp\u2028ls\u3000ideographic",
    ].join("\n");
    const samples = [fixture, ...fixture.split("\n"), fixture.repeat(3), fixture.toUpperCase(), fixture.replaceAll("\n", "\r\n")];
    for (const text of samples) expect(count(text), JSON.stringify(text.slice(0, 40))).toBe(reference(text));
    const words = fuzz([..."abcdefghijklmnopqrstuvwxyzABCXYZ019'"], 6, 4000).map((text) => text.slice(0, 12));
    for (const text of words) expect(count(` ${text} ${text}x ${text}`), JSON.stringify(text)).toBe(reference(` ${text} ${text}x ${text}`));
  });

  it("cut ASCII text into exactly the regex's pieces", () => {
    const dense = [..."aA1 .'\n", ..."0123456789"];
    for (const text of [...fuzz(asciiAlphabet, 3, 2000), ...fuzz(dense, 4, 500)]) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; ) {
        const end = pieceEnd(text, i, text.length);
        expect(end).not.toBe(NEEDS_REGEX);
        pieces.push(text.slice(i, end));
        i = end;
      }
      expect(pieces).toEqual([...text.matchAll(O200K_TOKEN_SPLIT_REGEX)].map((m) => m[0]));
    }
  });

  it("scale to the other providers with their correction factors", () => {
    expect(estimateTokens(1000, "openai")).toBe(1000);
    expect(estimateTokens(1000, "anthropic")).toBe(1250);
    expect(estimateTokens(1000, "gemini")).toBe(1150);
    expect(estimateTokens(1, "gemini")).toBe(2);
  });
});
