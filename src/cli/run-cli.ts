import { CommanderError, type Command } from "commander";
import { GromptError, toGromptError } from "../core/domain/errors";

/**
 * The CLI's one error edge: a GromptError becomes one line (plus its hint) and its exit code;
 * anything else is a bug, shown with its stack only under --verbose.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  const verbose = argv.includes("--verbose");
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = await reportError(error, verbose);
  }
}

export async function reportError(error: unknown, verbose: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version are successes.
    return error.exitCode === 0 ? 0 : 2;
  }
  // Loaded only to report an error: `--help` and `--version` never need it.
  const { default: chalk } = await import("chalk");
  const failure = toGromptError(error);
  const label = failure.code === "internal" ? "internal error" : failure.code;
  process.stderr.write(`${chalk.red("error")} ${chalk.dim(`[${label}]`)} ${failure.message}\n`);
  if (failure.hint !== undefined) process.stderr.write(`${chalk.dim("hint:")} ${failure.hint}\n`);
  if (failure.code === "internal" && !verbose) {
    process.stderr.write(chalk.dim("Run again with --verbose to see the stack trace, and please report it.\n"));
  }
  if (verbose) {
    const stackOf = (e: unknown): string | undefined => (e instanceof Error ? e.stack : undefined);
    const stack = error instanceof GromptError && error.cause !== undefined ? stackOf(error.cause) : stackOf(error);
    if (stack !== undefined) process.stderr.write(chalk.dim(`${stack}\n`));
  }
  return failure.exitCode;
}
