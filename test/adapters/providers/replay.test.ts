import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRecordingProvider } from "../../../src/adapters/providers/replay/recording-provider";
import { createReplayProvider } from "../../../src/adapters/providers/replay/replay-provider";
import type { ProviderCallEvent } from "../../../src/core/ports/provider-port";
import { scriptedProvider } from "../../support/scripted-provider";

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const seen: string[] = [];
  for await (const chunk of stream) seen.push(chunk);
  return seen;
}

describe("record and replay", () => {
  let dir: string;
  let cassette: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "grompt-cassette-"));
    cassette = join(dir, "nested", "demo.jsonl");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("records one JSONL line per request and replays answers and streams exactly, as the recording vendor", async () => {
    const live = scriptedProvider(
      [
        { text: "four", usage: { prompt: 5, completion: 1, total: 6 }, model: "claude-sonnet-4-6-20260101" },
        { text: "streamed answer", chunks: ["streamed", " answer"] },
      ],
      { id: "anthropic", model: "claude-sonnet-4-6" },
    );
    const recorder = createRecordingProvider(live, cassette);
    const recorded = await recorder.generate({ system: "math", user: "2+2?" }, { maxTokens: 5 });
    expect(await collect(recorder.stream!({ user: "stream please" }))).toEqual(["streamed", " answer"]);

    const lines = readFileSync(cassette, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ version: 1, request: { provider: "anthropic", model: "claude-sonnet-4-6", system: "math", user: "2+2?", options: { maxTokens: 5 } } });

    const replay = createReplayProvider({ cassette });
    expect(replay).toMatchObject({ id: "anthropic", model: "claude-sonnet-4-6", billable: false });
    expect(await replay.generate({ system: "math", user: "2+2?" }, { maxTokens: 5 })).toEqual(recorded);
    const events: ProviderCallEvent[] = [];
    expect(await collect(replay.stream!({ user: "stream please" }, {}, { onEvent: (event) => events.push(event) }))).toEqual(["streamed", " answer"]);
    expect(events[0]).toMatchObject({ type: "provider-call-finished", result: { text: "streamed answer", provider: "anthropic" } });
  });

  it("re-recording the same request replaces its line", async () => {
    const recorder = createRecordingProvider(scriptedProvider([{ text: "first" }, { text: "second" }]), cassette);
    await recorder.generate({ user: "same" });
    await recorder.generate({ user: "same" });
    const lines = readFileSync(cassette, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect((await createReplayProvider({ cassette }).generate({ user: "same" })).text).toBe("second");
  });

  it("does not record failed calls", async () => {
    const recorder = createRecordingProvider(scriptedProvider([{ error: new Error("boom") }]), cassette);
    await expect(recorder.generate({ user: "x" })).rejects.toThrow("boom");
    expect(() => readFileSync(cassette)).toThrow();
  });

  it("names the hash of a request the cassette does not hold", async () => {
    await createRecordingProvider(scriptedProvider([{ text: "a" }]), cassette).generate({ user: "known" });
    const replay = createReplayProvider({ cassette });
    await expect(replay.generate({ user: "unknown" })).rejects.toMatchObject({
      code: "replay_miss",
      message: expect.stringMatching(/has no recording of this request \(hash [0-9a-f]{64}, model gpt-4.1-mini\)/),
    });
    await expect(replay.generate({ user: "known" }, { temperature: 0.5 })).rejects.toMatchObject({ code: "replay_miss" });
  });

  it("rejects a missing, empty or malformed cassette with the file and line", () => {
    expect(() => createReplayProvider({ cassette: join(dir, "none.jsonl") })).toThrow(/does not exist/);
    writeFileSync(join(dir, "empty.jsonl"), "");
    expect(() => createReplayProvider({ cassette: join(dir, "empty.jsonl") })).toThrow(/holds no recordings/);
    writeFileSync(join(dir, "bad.jsonl"), '{"version":1,"hash":"h","request":{"user":"u"},"response":{"text":"t","provider":"openai","model":"m"}}\n{oops\n');
    expect(() => createReplayProvider({ cassette: join(dir, "bad.jsonl") })).toThrow(/bad\.jsonl:2: not JSON/);
  });

  it("replays an explicit model when the cassette holds several", async () => {
    await createRecordingProvider(scriptedProvider([{ text: "from a" }], { model: "model-a" }), cassette).generate({ user: "q" });
    await createRecordingProvider(scriptedProvider([{ text: "from b" }], { id: "gemini", model: "model-b" }), cassette).generate({ user: "q" });
    expect((await createReplayProvider({ cassette }).generate({ user: "q" })).text).toBe("from a");
    const b = createReplayProvider({ cassette, model: "model-b" });
    expect(b.id).toBe("gemini");
    expect((await b.generate({ user: "q" })).text).toBe("from b");
  });
});
