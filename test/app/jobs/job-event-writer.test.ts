import { describe, expect, it } from "vitest";
import { createJobEventWriter } from "../../../src/app/jobs/job-event-writer";
import { addCallToTotals } from "../../../src/app/jobs/job-totals";
import type { JobEvent } from "../../../src/core/domain/job-events";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A log that takes `writeMs` per append, like a database would. */
function slowLog(writeMs: number) {
  const batches: JobEvent[][] = [];
  return {
    batches,
    events: () => batches.flat(),
    text: () =>
      batches
        .flat()
        .map((event) => (event.type === "provider-chunk" ? event.text : ""))
        .join(""),
    write: async (events: JobEvent[]) => {
      await sleep(writeMs);
      batches.push(events);
    },
  };
}

describe("job event writer", () => {
  it("writes the first chunk at once, then gathers a fast stream into few events, keeping every character in order", async () => {
    const log = slowLog(2);
    const writer = createJobEventWriter({ callId: "c1", write: log.write, intervalMs: 20 });
    const answer = Array.from({ length: 3000 }, (_, i) => `w${i} `);
    writer.chunk(answer[0] ?? "");
    await sleep(5);
    expect(log.text()).toBe("w0 ");
    for (const [index, chunk] of answer.entries()) {
      if (index === 0) continue;
      writer.chunk(chunk);
      if (index % 100 === 0) await sleep(1);
    }
    await writer.flush();
    expect(log.text()).toBe(answer.join(""));
    const chunkEvents = log.events().filter((event) => event.type === "provider-chunk");
    expect(chunkEvents.length).toBeGreaterThan(1);
    expect(chunkEvents.length).toBeLessThan(60);
    expect(chunkEvents.every((event) => event.type === "provider-chunk" && event.callId === "c1")).toBe(true);
  });

  it("never lets two writes overlap", async () => {
    let inFlight = 0;
    let overlapped = false;
    const writer = createJobEventWriter({
      callId: "c",
      intervalMs: 0,
      write: async () => {
        inFlight += 1;
        if (inFlight > 1) overlapped = true;
        await sleep(3);
        inFlight -= 1;
      },
    });
    for (let i = 0; i < 50; i += 1) {
      writer.chunk(`${i}`);
      await sleep(i % 3);
    }
    await writer.flush();
    expect(overlapped).toBe(false);
  });

  it("writes other events after the text queued before them", async () => {
    const log = slowLog(1);
    const writer = createJobEventWriter({ callId: "c", write: log.write, intervalMs: 1_000 });
    writer.chunk("a");
    writer.chunk("b");
    writer.event({ type: "provider-retried", callId: "c", attempt: 1, delayMs: 5, code: "rate_limited" });
    writer.chunk("c");
    await writer.flush();
    expect(log.events().map((event) => (event.type === "provider-chunk" ? event.text : event.type))).toEqual(["a", "b", "provider-retried", "c"]);
  });

  it("writes a large burst without waiting for the interval", async () => {
    const log = slowLog(0);
    const writer = createJobEventWriter({ callId: "c", write: log.write, intervalMs: 60_000, maxChars: 10 });
    writer.chunk("first");
    await sleep(5);
    writer.chunk("0123456789ab");
    await sleep(5);
    expect(log.text()).toBe("first0123456789ab");
    await writer.flush();
  });

  it("reports a failed write at the next chunk and at flush, and writes nothing more", async () => {
    let calls = 0;
    const writer = createJobEventWriter({
      callId: "c",
      intervalMs: 0,
      write: async () => {
        calls += 1;
        throw new Error("job ended");
      },
    });
    writer.chunk("x");
    await sleep(5);
    expect(() => writer.chunk("y")).toThrow("job ended");
    await expect(writer.flush()).rejects.toThrow("job ended");
    expect(calls).toBe(1);
  });
});

describe("job totals", () => {
  it("sums usage and cost over calls; one unpriced call makes the cost unknown", () => {
    const one = addCallToTotals({}, { usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 100 });
    expect(one).toEqual({ usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 100 });
    const two = addCallToTotals(one, { usage: { prompt: 4, completion: 1, total: 5, cachedPrompt: 2 }, costMicros: 0 });
    expect(two).toEqual({ usage: { prompt: 14, completion: 6, total: 20, cachedPrompt: 2 }, costMicros: 100 });
    expect(addCallToTotals(two, { usage: { prompt: 1, completion: 1, total: 2 }, costMicros: null }).costMicros).toBeNull();
    expect(addCallToTotals({ costMicros: null }, { costMicros: 5 }).costMicros).toBeNull();
    expect(addCallToTotals({}, {})).toEqual({ costMicros: null });
  });
});
