/**
 * A fake vendor server as its own process, for e2e tests that run the built CLI or the daemon:
 *
 *   npx tsx test/fakes/serve.ts openai [--port 0] [--key test-key | --no-key] [--script answers.json]
 *
 * Prints one JSON line `{"vendor","origin","baseUrl","apiKey"}` on stdout once listening, then
 * serves until SIGTERM/SIGINT. The script file holds a Script or an array of them (see script.ts);
 * more can be queued with `POST <origin>/__fake/script`, and `GET <origin>/__fake/requests` lists
 * what was received.
 */
import { readFileSync } from "node:fs";
import { type FakeVendor, startFakeServer } from "./fake-server";
import type { Script } from "./script";

const args = process.argv.slice(2);
const vendor = args[0] as FakeVendor | undefined;
if (vendor !== "openai" && vendor !== "anthropic" && vendor !== "gemini") {
  console.error("usage: serve.ts <openai|anthropic|gemini> [--port n] [--key k | --no-key] [--script file.json]");
  process.exit(2);
}
const flag = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
};
const scriptFile = flag("--script");
const loaded: unknown = scriptFile === undefined ? [] : JSON.parse(readFileSync(scriptFile, "utf8"));
const script = (Array.isArray(loaded) ? loaded : [loaded]) as Script[];
const server = await startFakeServer(vendor, {
  port: Number(flag("--port") ?? 0),
  apiKey: args.includes("--no-key") ? null : (flag("--key") ?? "test-key"),
  script,
});
process.stdout.write(`${JSON.stringify({ vendor, origin: server.origin, baseUrl: server.baseUrl, apiKey: server.apiKey })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
