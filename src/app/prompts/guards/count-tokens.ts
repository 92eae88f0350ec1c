import type { countTokens as CountTokens } from "gpt-tokenizer";
import { requireTokenizer } from "../../snapshot/count-o200k-tokens";

// Source code may contain `<|endoftext|>`; count it as text instead of refusing it.
const asText = { disallowedSpecial: new Set<string>() };

/**
 * Token estimate with the o200k tokenizer (GPT-4o and later). Other vendors tokenize differently;
 * guards use it as a portable, deterministic yardstick, not as a bill.
 */
export const estimateTokens = (text: string): number => (text === "" ? 0 : tokenizer()(text, asText));

// Loaded on first use: its ranks cost ~130 ms and ~60 MB, which commands that never count need not pay.
let countTokens: typeof CountTokens | undefined;
const tokenizer = () => (countTokens ??= requireTokenizer<{ countTokens: typeof CountTokens }>("gpt-tokenizer").countTokens);

/** Lines as an editor shows them: a trailing newline does not start another line. */
export const countLines = (text: string): number => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
