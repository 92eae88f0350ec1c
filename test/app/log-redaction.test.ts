import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContainer } from "../../src/app/container";
import { isTerminal } from "../../src/core/domain/job";
import { makeTempDir } from "../support/temp-home";

const openaiKey = "sk-proj-PLANTEDabcdef1234567890XYZ";
const anthropicKey = "plantedAnthropicSecret42";
const daemonToken = "tok_PLANTEDtoken_0123456789abcdef";
const bearer = "Bearer eyJhbGciOiJIUzI1NiJ9.PLANTEDpayload.signature";
const email = "planted.person@example.org";
const prompt = "SECRET-SOURCE: export function planted() { return 42; }";

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir()));
afterEach(() => temp.cleanup());

const env = () => ({
  GROMPT_HOME: join(temp.dir, "home"),
  XDG_CONFIG_HOME: join(temp.dir, "xdg"),
  OPENAI_API_KEY: openaiKey,
  ANTHROPIC_API_KEY: anthropicKey,
  GROMPT_TOKEN: daemonToken,
});
const logText = () =>
  readdirSync(join(temp.dir, "home", "logs"))
    .map((file) => readFileSync(join(temp.dir, "home", "logs", file), "utf8"))
    .join("");

/** Runs one craft job whose handler logs secrets, a bearer token, an e-mail and the prompt. */
async function runLeakyJob(flags?: { logging: { prompts: boolean } }): Promise<string> {
  const container = createContainer({ cwd: temp.dir, env: env(), flags });
  const runner = await container.runner({
    handlers: {
      craft: async (ctx) => {
        ctx.logger.info({ apiKey: openaiKey, headers: { authorization: bearer }, note: `key ${anthropicKey} for ${email}` }, `calling with ${openaiKey}`);
        ctx.logger.info({ prompt: container.describeText(prompt) }, "prompt rendered");
        ctx.logger.error({ err: new Error(`provider said ${bearer} / ${daemonToken}`) }, "provider failed");
        await ctx.advance("prompting");
        return { result: {} };
      },
    },
  });
  await runner.start();
  const { job } = await (await container.jobs()).create({ purpose: "craft", provider: "openai", model: "m" });
  while (!isTerminal((await (await container.jobs()).get(job.id)).state)) await new Promise((resolve) => setTimeout(resolve, 10));
  await runner.stop();
  container.logger.warn({ email }, `the user ${email} has key ${openaiKey}`);
  await container.close();
  return job.id;
}

describe("logs", () => {
  it("never contain a planted API key, token, bearer or e-mail, and tag job lines", async () => {
    const jobId = await runLeakyJob();
    const text = logText();
    for (const planted of [openaiKey, anthropicKey, daemonToken, "PLANTEDpayload", email]) expect(text).not.toContain(planted);
    expect(text).toContain("[REDACTED");
    const lines = text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const jobLines = lines.filter((line) => line.msg === "calling with [REDACTED]" || line.msg === "prompt rendered");
    expect(jobLines).toHaveLength(2);
    for (const line of jobLines) expect(line).toMatchObject({ job_id: jobId, session_id: jobId });
  });

  it("log a prompt's size and sha256 only, unless --log-prompts", async () => {
    await runLeakyJob();
    const sha256 = createHash("sha256").update(prompt).digest("hex");
    const quiet = logText();
    expect(quiet).toContain(sha256);
    expect(quiet).toContain(`"bytes":${Buffer.byteLength(prompt)}`);
    expect(quiet).not.toContain("SECRET-SOURCE");

    temp.cleanup();
    temp = makeTempDir();
    await runLeakyJob({ logging: { prompts: true } });
    const loud = logText();
    expect(loud).toContain("SECRET-SOURCE");
    expect(loud).not.toContain(openaiKey);
  });
});
