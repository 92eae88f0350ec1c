import { spawn } from "node:child_process";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

/** Spawns a TypeScript script under test/support with tsx, as a real separate process. */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawn(process.execPath, ["--import", "tsx", join(repoRoot, "test", "support", script), ...args], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs a script to completion; resolves with its output, rejects when it exits non-zero. */
export function runScript(script: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnScript(script, args, env);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${script} exited ${code}: ${stderr}`))));
  });
}
