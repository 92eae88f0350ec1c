import { resolve } from "node:path";
import type { Command } from "commander";
import type { ConfigLayer } from "../../app/config/config-schema";
import { createContainer } from "../../app/container";
import { previewPromptContext } from "../../app/snapshot/preview-prompt-context";
import { snapshotTree } from "../../app/snapshot/snapshot-tree";
import { snapshotTimings, summarizeSnapshot } from "../../app/snapshot/summarize-snapshot";
import { isProviderId } from "../../app/snapshot/token-estimate";
import { GromptError } from "../../core/domain/errors";
import type { ProviderId } from "../../core/ports/provider-port";
import type { SecretsMode } from "../../core/ports/snapshot-port";
import { globalOptions } from "../global-options";
import { renderContextPlan, renderExtraction, renderSnapshotSummary, renderTimings } from "../render/render-snapshot";

export interface SnapshotOptions {
  out?: string;
  include?: string[];
  exclude?: string[];
  maxTokens?: number;
  maxFileBytes?: number;
  instruction?: string;
  secrets?: SecretsMode;
  provider?: ProviderId;
  json?: boolean;
  timings?: boolean;
}

/** `grompt snapshot` and `grompt snapshot extract`. */
export const snapshotActions = {
  async write(options: SnapshotOptions, command: Command): Promise<void> {
    // Since the process started: the CLI's own startup is part of what a user waits for.
    const startedAt = performance.now();
    const { cwd, verbose } = globalOptions(command);
    const flags: ConfigLayer = {
      snapshot: {
        ...(options.include !== undefined ? { include: options.include } : {}),
        ...(options.exclude !== undefined ? { exclude: options.exclude } : {}),
        ...(options.secrets !== undefined ? { secrets: options.secrets } : {}),
        ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
      },
    };
    const container = createContainer({ cwd, env: process.env, flags, verbose });
    const controller = new AbortController();
    const interrupt = () => controller.abort(new GromptError("interrupted", "Interrupted; nothing was written"));
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    // ora loads only when there is a terminal to spin on.
    const spinner = options.json !== true && process.stderr.isTTY ? (await import("ora")).default({ text: "snapshot: listing files", stream: process.stderr }).start() : undefined;
    try {
      const { snapshot: settings, defaults } = container.config;
      const provider: ProviderId = options.provider ?? (isProviderId(defaults.provider) ? defaults.provider : "openai");
      const result = await snapshotTree(
        {
          root: cwd,
          outDir: options.out,
          include: settings.include,
          exclude: settings.exclude,
          secrets: settings.secrets,
          maxFileBytes: settings.maxFileBytes,
          signal: controller.signal,
          onProgress: (p) => {
            if (spinner !== undefined && p.done % 200 === 0) spinner.text = `snapshot: ${p.done}/${p.total} files`;
          },
        },
        { snapshots: container.snapshots, home: container.home },
      );
      spinner?.stop();
      const summary = summarizeSnapshot(result, provider);
      const timings = options.timings === true ? snapshotTimings(result, startedAt) : undefined;
      const context =
        options.maxTokens === undefined
          ? undefined
          : await previewPromptContext({ result, instruction: options.instruction ?? "", provider, maxTokens: options.maxTokens }, { snapshots: container.snapshots });
      container.logger.info({ snapshot_id: result.id, files: summary.files, bytes: summary.bytes, tokens: summary.tokens }, "snapshot written");
      if (options.json === true) {
        const plan = context === undefined ? undefined : { tokens: context.tokens, ...context.plan };
        process.stdout.write(`${JSON.stringify({ ...summary, context: plan, timings }, null, 2)}\n`);
      } else {
        process.stdout.write(renderSnapshotSummary(summary));
        if (context !== undefined) process.stdout.write(renderContextPlan(context.plan, context.tokens, provider));
        if (timings !== undefined) process.stdout.write(renderTimings(timings));
      }
    } finally {
      spinner?.stop();
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      await container.close();
    }
  },

  async extract(file: string, dir: string, options: { overwrite?: boolean; json?: boolean }, command: Command): Promise<void> {
    const { cwd, verbose } = globalOptions(command);
    const container = createContainer({ cwd, env: process.env, verbose });
    try {
      const result = await container.snapshots.extract({ latx: resolve(cwd, file), dest: resolve(cwd, dir), overwrite: options.overwrite });
      process.stdout.write(options.json === true ? `${JSON.stringify(result, null, 2)}\n` : renderExtraction(result, dir));
    } finally {
      await container.close();
    }
  },
};
