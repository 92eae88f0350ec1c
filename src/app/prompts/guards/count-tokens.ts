import type * as GptTokenizer from "gpt-tokenizer";
import { lazyRequire } from "../../lazy-require";

// gpt-tokenizer (about 100 ms to load its o200k table) is loaded on the first count, as CommonJS
// like the snapshot's counter (count-o200k-tokens.ts), so that a process holds one table.
const tokenizer = lazyRequire<typeof GptTokenizer>("gpt-tokenizer");

// Source code may contain `<|endoftext|>`; count it as text instead of refusing it.
const asText = { disallowedSpecial: new Set<string>() };

/**
 * Token estimate with the o200k tokenizer (GPT-4o and later). Other vendors tokenize differently;
 * guards use it as a portable, deterministic yardstick, not as a bill.
 */
export const estimateTokens = (text: string): number => (text === "" ? 0 : tokenizer().countTokens(text, asText));

/** Lines as an editor shows them: a trailing newline does not start another line. */
export const countLines = (text: string): number => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
