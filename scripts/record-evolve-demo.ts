/**
 * `npm run demo:record`: re-records examples/evolve-demo/cassette.jsonl. A loopback OpenAI-compatible
 * server answers every request with examples/evolve-demo/answer.md (the carefully written diff of the
 * demo's refactor), with usage counted by the o200k tokenizer; the demo then runs through the real
 * pipeline with `--record`, so the cassette holds exactly the request grompt makes today, and is
 * only written when the patch validates. Run it after changing a prompt, the snapshot format or
 * the example project.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { countTokens } from "gpt-tokenizer";
import { startFakeServer } from "../test/fakes/fake-server";

const demo = join(import.meta.dirname, "..", "examples", "evolve-demo");
const cassette = join(demo, "cassette.jsonl");
const answer = readFileSync(join(demo, "answer.md"), "utf8");
const server = await startFakeServer("openai", {
  fallback: (request) => {
    const messages = (request.body as { messages: { content: string }[] }).messages;
    const prompt = messages.reduce((sum, message) => sum + countTokens(message.content) + 4, 3);
    const chunks = answer.match(/[^\n]*\n|[^\n]+$/g) ?? [answer];
    return { kind: "text", chunks, usage: { prompt, completion: countTokens(answer) } };
  },
});
rmSync(cassette, { force: true });
// The fake server lives in this process: the demo must run beside it, not block it.
const child = spawn(process.execPath, [join(import.meta.dirname, "demo.mjs"), "--record", cassette], {
  stdio: "inherit",
  env: { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("OPENAI_"))), OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: "test-key" },
});
const status = await new Promise<number | null>((resolve) => child.on("exit", resolve));
await server.close();
if (status !== 0) {
  rmSync(cassette, { force: true });
  console.error(`recording failed (exit ${status}); no cassette written`);
  process.exit(status ?? 1);
}
console.error(`recorded ${cassette} (${server.requests.length} request${server.requests.length === 1 ? "" : "s"})`);
