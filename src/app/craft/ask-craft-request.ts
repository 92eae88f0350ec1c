import { GromptError } from "../../core/domain/errors";
import { type CraftInputs, type CraftRequest, craftInputs, craftPurposes } from "./craft-inputs";

/** The two kinds of question craft asks; the CLI answers them with @inquirer/prompts. */
export interface CraftAsker {
  text(question: { message: string; default?: string }): Promise<string>;
  choose(question: { message: string; choices: readonly { value: string; description: string }[]; default: string }): Promise<string>;
}

const purposeDescriptions: Record<(typeof craftPurposes)[number], string> = {
  code: "a prompt for writing or changing code",
  creative: "a prompt for stories, copy, poems",
  analysis: "a prompt for analysing data, documents or decisions",
  general: "anything else",
};

/** At most this many ideas are asked for; more belong in a file or in --idea flags. */
const maxAskedIdeas = 20;

/**
 * Flags first; on a terminal, questions for what they left out. Without ideas and without a
 * terminal there is nobody to ask: a usage error, before anything is created.
 */
export async function resolveCraftRequest(request: CraftRequest, terminal: { interactive: boolean; ask?: CraftAsker }): Promise<CraftInputs> {
  const given = (request.ideas ?? []).filter((idea) => idea.trim() !== "");
  if (given.length > 0) return craftInputs(request);
  if (!terminal.interactive || terminal.ask === undefined) {
    throw new GromptError("usage", "no ideas given, and stdin is not a terminal to ask for them", {
      hint: 'Pass --idea "..." (repeatable), or run grompt craft in a terminal.',
    });
  }
  const ask = terminal.ask;
  const ideas: string[] = [];
  while (ideas.length < maxAskedIdeas) {
    const answer = (await ask.text({ message: ideas.length === 0 ? "Idea (what should the prompt be about?)" : "Another idea (empty to finish)" })).trim();
    if (answer === "") {
      if (ideas.length > 0) break;
      throw new GromptError("usage", "no ideas given", { hint: "Type at least one idea, or pass --idea." });
    }
    ideas.push(answer);
  }
  const purpose =
    request.purpose ??
    (await ask.choose({
      message: "What is the prompt for?",
      choices: craftPurposes.map((value) => ({ value, description: purposeDescriptions[value] })),
      default: "general",
    }));
  const lang = request.lang ?? (await ask.text({ message: "Language of the prompt (empty: the ideas' language)", default: "" }));
  return craftInputs({ ...request, ideas, purpose, lang });
}
