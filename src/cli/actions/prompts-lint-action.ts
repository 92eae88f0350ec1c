import type { Command } from "commander";
import chalk from "chalk";
import { createContainer } from "../../app/container";
import { lintPromptFiles } from "../../app/prompts/lint-prompt-files";
import { formatProblem, sortProblems } from "../../app/prompts/prompt-problem";
import { GromptError } from "../../core/domain/errors";
import { displayPath } from "../display-path";
import { globalOptions } from "../global-options";

/** `grompt prompts lint [files...]`: problems on stderr as file:line:column, ok files on stdout. */
export async function promptsLintAction(paths: string[], options: { json?: boolean }, command: Command): Promise<void> {
  const { cwd, verbose } = globalOptions(command);
  const container = createContainer({ cwd, env: process.env, verbose });
  try {
    const results = lintPromptFiles({ paths, cwd, directories: container.promptDirectories });
    const broken = results.filter((result) => result.problems.length > 0);
    if (options.json === true) {
      const report = results.map((r) => ({ file: r.file, id: r.id, ok: r.problems.length === 0, problems: sortProblems(r.problems) }));
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const result of broken) {
        for (const problem of sortProblems(result.problems)) process.stderr.write(`${formatProblem(problem, displayPath(problem.file, cwd))}\n`);
      }
      for (const result of results.filter((r) => r.problems.length === 0)) {
        process.stdout.write(`${chalk.green("ok")}  ${displayPath(result.file, cwd)} (${result.prompt?.id ?? "?"} ${result.prompt?.version ?? ""})\n`);
      }
    }
    if (results.length === 0) {
      throw new GromptError("usage", "no prompt files to lint", { hint: "Name .yml files or directories holding them." });
    }
    if (broken.length > 0) {
      const names = broken.map((r) => displayPath(r.file, cwd)).join(", ");
      throw new GromptError("prompt_invalid", `${broken.length} of ${results.length} prompt file(s) have problems: ${names}`, {
        hint: "Fix the lines listed above; each is file:line:column: problem.",
        details: { files: broken.map((r) => r.file) },
      });
    }
  } finally {
    await container.close();
  }
}
