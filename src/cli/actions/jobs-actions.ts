import type { Command } from "commander";
import type { JobState, PromptPurpose } from "../../core/domain/job";
import { withContainer } from "../open-container";
import { renderEventLine, renderJobDetails, renderJobTable } from "../render/job-views";

const write = (text: string): void => {
  process.stdout.write(text);
};
const json = (value: unknown): void => write(`${JSON.stringify(value, null, 2)}\n`);

export interface JobsListFlags {
  state?: JobState;
  purpose?: PromptPurpose;
  limit: number;
  cursor?: string;
  json?: boolean;
}

/** `grompt jobs list | show | logs | cancel`. */
export const jobsActions = {
  async list(options: JobsListFlags, command: Command): Promise<void> {
    await withContainer(command, async (container) => {
      const page = await (await container.jobs()).list({
        states: options.state === undefined ? undefined : [options.state],
        purposes: options.purpose === undefined ? undefined : [options.purpose],
        limit: options.limit,
        cursor: options.cursor,
      });
      if (options.json === true) {
        json(page);
        return;
      }
      write(renderJobTable(page.jobs));
      if (page.nextCursor !== undefined) write(`More jobs: grompt jobs list --limit ${options.limit} --cursor ${page.nextCursor}\n`);
    });
  },

  async show(id: string, options: { json?: boolean }, command: Command): Promise<void> {
    await withContainer(command, async (container) => {
      const details = await (await container.jobs()).show(id);
      write(options.json === true ? `${JSON.stringify(details, null, 2)}\n` : renderJobDetails(details));
    });
  },

  async logs(id: string, options: { follow?: boolean; json?: boolean }, command: Command): Promise<void> {
    await withContainer(command, async (container) => {
      const useCases = await container.jobs();
      const records = options.follow === true ? useCases.follow(id) : await useCases.events(id);
      for await (const record of records) write(options.json === true ? `${JSON.stringify(record)}\n` : renderEventLine(record));
    });
  },

  async cancel(id: string, options: { reason?: string }, command: Command): Promise<void> {
    await withContainer(command, async (container) => {
      const { job, outcome } = await (await container.jobs()).cancel(id, { reason: options.reason });
      write(
        outcome === "canceled"
          ? `Canceled job ${job.id}.\n`
          : `Cancel requested for job ${job.id} (${job.state}); its runner stops it at its next step.\n`,
      );
    });
  },
};
