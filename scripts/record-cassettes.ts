/**
 * Re-records the cassettes grompt ships, through the real CLI and a fake OpenAI server that answers
 * like a careful model would — so every request hash is computed by grompt itself, never by hand:
 *
 *   npm run record:cassettes
 *
 * - prompts/evals/cassette.jsonl: an answer to every built-in eval case (the good answers of
 *   test/fixtures/builtin-answers.ts), for `grompt prompts eval --cassette` with no key and no network;
 * - examples/craft-demo/cassette.jsonl: the craft of examples/craft-demo/request.json, answered with
 *   examples/craft-demo/answer.md, streamed word by word (what `npm run demo:craft` replays).
 *
 * Run it after changing a built-in prompt's text or eval cases: the old recordings no longer match.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { loadPromptRegistry } from "../src/app/prompts/load-prompt-registry";
import { estimateTokens } from "../src/app/prompts/guards/count-tokens";
import { builtInPromptsDir } from "../src/app/prompts/prompt-directories";
import { renderPrompt } from "../src/app/prompts/render-prompt";
import { startFakeServer } from "../test/fakes/fake-server";
import type { RecordedRequest, Script } from "../test/fakes/script";
import { builtinAnswers } from "../test/fixtures/builtin-answers";

const root = join(import.meta.dirname, "..");
const evalCassette = join(root, "prompts", "evals", "cassette.jsonl");
const demoDir = join(root, "examples", "craft-demo");
const demoCassette = join(demoDir, "cassette.jsonl");
const demoRequest = JSON.parse(readFileSync(join(demoDir, "request.json"), "utf8")) as { ideas: string[]; purpose: string };
const demoAnswer = readFileSync(join(demoDir, "answer.md"), "utf8");

// The rendered user message identifies the eval case (or the demo) a request belongs to.
const answers = new Map<string, string>();
const registry = loadPromptRegistry([{ source: "built-in", dir: builtInPromptsDir() }]);
for (const { prompt } of registry.entries) {
  for (const evalCase of prompt.evals) {
    const answer = builtinAnswers[`${prompt.id}/${evalCase.name}`];
    if (answer === undefined) throw new Error(`no good answer for ${prompt.id}/${evalCase.name} in test/fixtures/builtin-answers.ts`);
    answers.set(renderPrompt(prompt, evalCase.vars).user, answer.good);
  }
}
answers.set(renderPrompt(registry.get("craft-prompt").prompt, { ideas: demoRequest.ideas, purpose: demoRequest.purpose }).user, demoAnswer);

interface ChatBody {
  messages: { role: string; content: string }[];
}

/** The prepared answer, with the usage a vendor would report for this request. */
function answerFor(request: RecordedRequest): Script {
  const messages = (request.body as ChatBody).messages;
  const user = messages.findLast((message) => message.role === "user")?.content ?? "";
  const text = answers.get(user);
  if (text === undefined) return { kind: "error", status: 400, message: "record-cassettes: no prepared answer for this request" };
  const promptTokens = messages.reduce((sum, message) => sum + estimateTokens(message.content) + 4, 3);
  return { kind: "text", text, usage: { prompt: promptTokens, completion: estimateTokens(text) } };
}

const server = await startFakeServer("openai", { apiKey: null, fallback: answerFor });
const home = mkdtempSync(join(tmpdir(), "grompt-record-"));
// Nothing of the developer's own setup (keys, config, flags) may reach the recording.
const inherited = Object.entries(process.env).filter(([name]) => !/^(OPENAI_|ANTHROPIC_|GEMINI_|GOOGLE_|GROMPT_|FF_|XDG_CONFIG_HOME$)/.test(name));
const env = { ...Object.fromEntries(inherited), GROMPT_HOME: join(home, "home"), XDG_CONFIG_HOME: join(home, "config"), OPENAI_BASE_URL: server.baseUrl, GROMPT_CACHE: "0" };
// Asynchronously: the fake server answers from this very process.
const grompt = (args: string[]) => execa(process.execPath, [join(root, "bin", "grompt"), ...args], { cwd: home, env, extendEnv: false, stdio: ["ignore", "inherit", "inherit"] });
try {
  rmSync(evalCassette, { force: true });
  rmSync(demoCassette, { force: true });
  await grompt(["prompts", "eval", "--provider", "openai", "--record", evalCassette]);
  const ideas = demoRequest.ideas.flatMap((idea) => ["--idea", idea]);
  await grompt(["craft", ...ideas, "--purpose", demoRequest.purpose, "--provider", "openai", "--record", demoCassette]);
  console.error(`\nrecorded ${evalCassette}\nrecorded ${demoCassette}`);
} finally {
  await server.close();
  rmSync(home, { recursive: true, force: true });
}
