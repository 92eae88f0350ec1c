import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { resolveCraftRequest } from "../../src/app/craft/ask-craft-request";
import { inquirerCraftAsker } from "../../src/cli/inquirer-craft-asker";

/**
 * A terminal stand-in: each answer is typed once the screen has been quiet for a moment (a question
 * is waiting). Like a real terminal, its output is never closed by a prompt that finishes.
 */
function fakeTerminal(answers: string[]) {
  const input = new PassThrough();
  let shown = "";
  let quiet: NodeJS.Timeout | undefined;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      shown += chunk.toString();
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        const next = answers.shift();
        if (next !== undefined) input.write(next);
      }, 30);
      done();
    },
  });
  output.end = () => output;
  return { context: { input, output }, shown: () => shown };
}

describe("craft questions through @inquirer/prompts", () => {
  it("asks for ideas until an empty one, then the purpose (arrow keys) and the language, on the given streams", async () => {
    const terminal = fakeTerminal(["a weekly digest\r", "posted to slack\r", "\r", "\x1b[A\x1b[A\x1b[A\r", "pt-BR\r"]);
    const inputs = await resolveCraftRequest({}, { interactive: true, ask: inquirerCraftAsker(terminal.context) });
    expect(inputs.vars).toEqual({ ideas: ["a weekly digest", "posted to slack"], purpose: "code", language: "pt-BR" });
    const shown = terminal.shown();
    for (const question of ["Idea (what should the prompt be about?)", "Another idea (empty to finish)", "What is the prompt for?", "a prompt for writing or changing code", "Language of the prompt"]) {
      expect(shown).toContain(question);
    }
  });

  it("turns Ctrl-C while asking into an interruption (exit 130) before anything exists", async () => {
    const terminal = fakeTerminal(["\x03"]);
    await expect(resolveCraftRequest({}, { interactive: true, ask: inquirerCraftAsker(terminal.context) })).rejects.toMatchObject({
      code: "interrupted",
      message: "craft was interrupted while asking; nothing was created",
    });
  });
});
