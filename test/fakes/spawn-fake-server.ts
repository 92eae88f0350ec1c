import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { FakeVendor } from "./fake-server";
import type { RecordedRequest, Script } from "./script";

export interface FakeProcess {
  origin: string;
  baseUrl: string;
  apiKey: string | null;
  /** Queues answers over the control endpoint. */
  enqueue(...scripts: Script[]): Promise<void>;
  /** What the server received so far. */
  requests(): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

/** Starts test/fakes/serve.ts as a child process (for daemons and tests that need a separate process). */
export async function spawnFakeServer(vendor: FakeVendor, options: { apiKey?: string | null; script?: string } = {}): Promise<FakeProcess> {
  const args = [join(import.meta.dirname, "serve.ts"), vendor];
  if (options.apiKey === null) args.push("--no-key");
  else if (options.apiKey !== undefined) args.push("--key", options.apiKey);
  if (options.script !== undefined) args.push("--script", options.script);
  const child: ChildProcess = spawn(join(import.meta.dirname, "..", "..", "node_modules", ".bin", "tsx"), args, { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`fake ${vendor} server exited with ${code}`)));
  });
  const info = JSON.parse(line) as { origin: string; baseUrl: string; apiKey: string | null };
  return {
    ...info,
    async enqueue(...scripts) {
      await fetch(`${info.origin}/__fake/script`, { method: "POST", body: JSON.stringify(scripts) });
    },
    async requests() {
      return (await (await fetch(`${info.origin}/__fake/requests`)).json()) as RecordedRequest[];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
