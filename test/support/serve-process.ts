import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const bin = join(import.meta.dirname, "..", "..", "bin", "grompt");

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  token: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once the stream's output so far matches (output on two pipes arrives in no set order). */
  waitForOutput(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** fetch with the token. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Sends a signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built `grompt serve` and waits for its "listening on" line. */
export async function startServeProcess(options: { env: NodeJS.ProcessEnv; cwd: string; args?: string[]; home: string }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", ...(options.args ?? [])], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`grompt serve did not start: ${stdout}\n${stderr}`)), 20_000);
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on("data", (chunk: string) => void (stderr += chunk));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`grompt serve exited with ${code}: ${stdout}\n${stderr}`));
    });
  });
  const token = options.env.GROMPT_TOKEN ?? readFileSync(join(options.home, "token"), "utf8").trim();
  return {
    child,
    url,
    token,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitForOutput(stream, pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stream === "stdout" ? stdout : stderr)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} on ${stream}: ${stream === "stdout" ? stdout : stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    request: (path, init = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers } }),
    async stop(signal = "SIGTERM") {
      child.kill(signal);
      return exited;
    },
    exited,
  };
}
