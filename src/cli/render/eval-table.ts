import chalk from "chalk";
import Table from "cli-table3";
import type { PromptEvalsOutcome } from "../../app/prompts/evals/run-prompt-evals";
import { formatCost } from "./provider-format";

/** `grompt prompts eval`: one row per case — case, verdict, reason, tokens, cost — sized to the terminal. */
export function renderEvalTable(outcome: PromptEvalsOutcome, width: number): string {
  const rows = outcome.results.map((result) => [
    `${result.promptId}/${result.caseName}`,
    result.pass ? chalk.green("pass") : chalk.red("FAIL"),
    result.reason,
    String(result.tokens),
    formatCost(result.costMicros),
  ]);
  const caseWidth = Math.min(48, Math.max(6, ...rows.map((row) => (row[0] ?? "").length)) + 2);
  const numbersWidth = 8 + 12;
  // Borders and padding take 16 columns; the reason gets what is left, wrapped.
  const reasonWidth = Math.max(24, width - caseWidth - 6 - numbersWidth - 16);
  const table = new Table({
    head: ["case", "result", "reason", "tokens", "cost"],
    colWidths: [caseWidth, 8, reasonWidth, 8, 12],
    colAligns: ["left", "left", "left", "right", "right"],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [] },
  });
  table.push(...rows);
  return `${table.toString()}\n`;
}

/** The line under the table: verdict, totals and who answered. */
export function evalSummaryLine(outcome: PromptEvalsOutcome): string {
  const { passed, failed, tokens, costMicros, provider } = outcome;
  const who = provider.name === provider.id ? `${provider.id}:${provider.model}` : `${provider.name} (${provider.id}:${provider.model})`;
  const verdict = failed === 0 ? chalk.green(`${passed} passed`) : `${chalk.red(`${failed} failed`)}, ${passed} passed`;
  return `${verdict} · ${tokens} tokens · ${formatCost(costMicros)} · ${who}`;
}
