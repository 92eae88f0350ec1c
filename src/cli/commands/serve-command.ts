import { type Command, InvalidArgumentError, Option } from "commander";
import type { ServeOptions } from "../actions/serve-action";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new InvalidArgumentError("Use a port from 0 to 65535 (0 picks a free one).");
  return parsed;
}

export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the HTTP + SSE API and the job runner in one process (loopback only unless --host says otherwise)")
    .addOption(new Option("--port <n>", "port to listen on, 0 picks a free one (default: server.port, 7411)").argParser(port))
    .addOption(new Option("--host <address>", "address to bind (default: server.host, 127.0.0.1)"))
    .option("--cors-origin <url>", "let a browser front end on this origin call the API (repeatable; added to server.corsOrigins)", collect)
    .option("--root <dir>", "a directory evolve jobs may work in (repeatable; default: the current directory)", collect)
    .action(async (options: ServeOptions, command: Command) => (await import("../actions/serve-action")).serveAction(options, command));
}
