import { countTokens } from "gpt-tokenizer";

// Source code may contain `<|endoftext|>`; count it as text instead of refusing it.
const asText = { disallowedSpecial: new Set<string>() };

/**
 * Token estimate with the o200k tokenizer (GPT-4o and later). Other vendors tokenize differently;
 * guards use it as a portable, deterministic yardstick, not as a bill.
 */
export const estimateTokens = (text: string): number => (text === "" ? 0 : countTokens(text, asText));

/** Lines as an editor shows them: a trailing newline does not start another line. */
export const countLines = (text: string): number => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
