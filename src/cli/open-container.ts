import type { Command } from "commander";
import { type Container, createContainer } from "../app/container";
import { globalOptions } from "./global-options";

/** The container for a command, with the global flags applied as the top config layer. */
export function openContainer(command: Command): Container {
  const { cwd, verbose, logPrompts } = globalOptions(command);
  return createContainer({
    cwd,
    env: process.env,
    verbose,
    flags: logPrompts === true ? { logging: { prompts: true } } : undefined,
  });
}

/** Runs `work` with a container and always closes it. */
export async function withContainer<T>(command: Command, work: (container: Container) => Promise<T>): Promise<T> {
  const container = openContainer(command);
  try {
    return await work(container);
  } finally {
    await container.close();
  }
}
