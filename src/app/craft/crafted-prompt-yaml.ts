import { Document, Scalar } from "yaml";
import { GromptError } from "../../core/domain/errors";
import type { CraftPurpose } from "./craft-inputs";

export interface CraftedPromptSource {
  id: string;
  /** The crafted prompt, exactly as the model wrote it. */
  crafted: string;
  purpose: CraftPurpose;
  ideas: readonly string[];
}

const rawOpen = "{{{{raw}}}}";
const rawClose = "{{{{/raw}}}}";

/**
 * The registry file for a crafted prompt. The crafted text sits in a raw block, so `{{…}}` or
 * backslashes in it are never read as template syntax: rendering gives it back byte for byte, with
 * the optional `input` appended after a blank line. No timestamp: same answer, same file.
 */
export function craftedPromptYaml(source: CraftedPromptSource): string {
  const crafted = source.crafted.replace(/\r\n/g, "\n").trim();
  if (crafted === "") throw new GromptError("invalid_input", "the crafted prompt is empty; there is nothing to save", { hint: "Craft again with more specific ideas." });
  if (crafted.includes(rawClose)) {
    throw new GromptError("invalid_input", `the crafted prompt contains ${rawClose}, which cannot be stored verbatim in a template`, {
      hint: "Save the prompt as a plain file instead (--out).",
    });
  }
  const firstIdea = source.ideas[0] ?? "";
  const more = source.ideas.length > 1 ? ` (+${source.ideas.length - 1} more idea${source.ideas.length > 2 ? "s" : ""})` : "";
  const template = `${rawOpen}\n${crafted}\n${rawClose}\n{{#if input}}\n\n{{input}}\n{{/if}}\n`;
  const document = new Document({
    id: source.id,
    version: "1.0.0",
    purpose: "custom",
    description: `A ${source.purpose} prompt crafted by grompt from: ${truncate(firstIdea, 160)}${more}`,
    template: blockLiteral(template),
    inputs: [{ name: "input", required: false, description: "Material appended after the prompt (what its [placeholders] ask for)." }],
    output: { format: "text" },
  });
  const version = document.get("version", true);
  if (version instanceof Scalar) version.type = Scalar.QUOTE_DOUBLE;
  return `# Crafted by \`grompt craft\`; edit freely, then check it with \`grompt prompts lint\`.\n${document.toString({ lineWidth: 0 })}`;
}

function blockLiteral(text: string): Scalar {
  const scalar = new Scalar(text);
  scalar.type = Scalar.BLOCK_LITERAL;
  return scalar;
}

const truncate = (text: string, length: number): string => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
};
