import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobState } from "../../src/core/domain/job";
import type { NewJob, StorePort } from "../../src/core/ports/store-port";

export interface StoreUnderTest {
  store: StorePort;
  /** Moves the store's clock (idempotency expiry, timestamps). */
  setNow(iso: string): void;
  cleanup?(): Promise<void>;
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

export const newJob = (id: string, overrides: Partial<NewJob> = {}): NewJob => ({
  id,
  sessionId: "session-1",
  provider: "openai",
  model: "gpt-test",
  promptPurpose: "refactor",
  input: { instruction: "rename foo" },
  createdAt: at(0),
  ...overrides,
});

/** The StorePort contract: every store (SQLite now, Postgres later) runs this suite. */
export function runStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`StorePort contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: StorePort;
    beforeEach(async () => {
      subject = await makeStore();
      subject.setNow(at(1));
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup?.();
    });

    it("creates a job in queued with its job-created event as seq 1", async () => {
      const { job, created } = await store.createJob(newJob("j1"));
      expect(created).toBe(true);
      expect(job).toMatchObject({ id: "j1", state: "queued", promptPurpose: "refactor", input: { instruction: "rename foo" }, attempts: 0 });
      expect(await store.getJob("j1")).toEqual(job);
      const events = await store.listEvents("j1");
      expect(events).toEqual([{ jobId: "j1", seq: 1, ts: at(1), event: { type: "job-created", job } }]);
      expect(await store.getJob("nope")).toBeUndefined();
    });

    it("refuses a second job with the same id", async () => {
      await store.createJob(newJob("j1"));
      await expect(store.createJob(newJob("j1"))).rejects.toMatchObject({ code: "invalid_input" });
    });

    it("returns the original job for a replayed idempotency key and rejects another body", async () => {
      const claim = { scope: "cli", key: "k1", fingerprint: "fp-a", expiresAt: at(60) };
      const first = await store.createJob(newJob("j1"), claim);
      const replay = await store.createJob(newJob("j2"), claim);
      expect(replay).toEqual({ created: false, job: first.job });
      expect(await store.getJob("j2")).toBeUndefined();
      await expect(store.createJob(newJob("j3"), { ...claim, fingerprint: "fp-b" })).rejects.toMatchObject({
        code: "idempotency_mismatch",
      });
      expect(await store.getJob("j3")).toBeUndefined();
      // Another scope (another token) owns its own keys.
      expect((await store.createJob(newJob("j4"), { ...claim, scope: "token-2" })).created).toBe(true);
    });

    it("replaces an expired idempotency key with the new job", async () => {
      const claim = { scope: "cli", key: "k1", fingerprint: "fp-a", expiresAt: at(5) };
      await store.createJob(newJob("j1"), claim);
      subject.setNow(at(6));
      const again = await store.createJob(newJob("j2"), { ...claim, fingerprint: "fp-b", expiresAt: at(30) });
      expect(again.created).toBe(true);
      expect(again.job.id).toBe("j2");
      expect((await store.createJob(newJob("j3"), { ...claim, fingerprint: "fp-b", expiresAt: at(30) })).job.id).toBe("j2");
      expect(await store.deleteExpiredIdempotencyKeys(at(31))).toBe(1);
      expect((await store.createJob(newJob("j5"), { ...claim, fingerprint: "fp-c", expiresAt: at(90) })).created).toBe(true);
    });

    it("drives an evolve job through every state with ordered events and a final job-completed", async () => {
      await store.createJob(newJob("j1"));
      const path: JobState[] = ["queued", "snapshotting", "prompting", "diffing", "done"];
      for (let i = 1; i < path.length; i += 1) {
        const to = path[i] as JobState;
        subject.setNow(at(1 + i));
        const update = to === "done" ? { result: { files: 2 }, usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 42 } : undefined;
        const extra = to === "prompting" ? [{ type: "job-progressed" as const, step: "render", message: "rendered" }] : [];
        const { job } = await store.transitionJob("j1", { from: path[i - 1] as JobState, event: { type: "advance", to }, update, events: extra });
        expect(job.state).toBe(to);
        expect(job.updatedAt).toBe(at(1 + i));
      }
      const done = await store.getJob("j1");
      expect(done).toMatchObject({ state: "done", result: { files: 2 }, usage: { total: 15 }, costMicros: 42, finishedAt: at(5) });
      const events = await store.listEvents("j1");
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(events.map((e) => e.event.type)).toEqual([
        "job-created",
        "state-changed",
        "state-changed",
        "job-progressed",
        "state-changed",
        "state-changed",
        "job-completed",
      ]);
      expect(events[6]?.event).toEqual({ type: "job-completed", result: { files: 2 } });
      expect((await store.listEvents("j1", { afterSeq: 4, limit: 2 })).map((e) => e.seq)).toEqual([5, 6]);
    });

    it("refuses a move from a state the job is not in, committing nothing", async () => {
      await store.createJob(newJob("j1"));
      await expect(
        store.transitionJob("j1", { from: "prompting", event: { type: "advance", to: "diffing" }, events: [{ type: "job-released", reason: "x" }] }),
      ).rejects.toMatchObject({ code: "invalid_transition", details: { expected: "prompting", actual: "queued" } });
      expect((await store.getJob("j1"))?.state).toBe("queued");
      expect(await store.listEvents("j1")).toHaveLength(1);
    });

    it("lets the domain FSM reject illegal moves, committing nothing", async () => {
      await store.createJob(newJob("j1", { promptPurpose: "craft" }));
      await expect(store.transitionJob("j1", { from: "queued", event: { type: "advance", to: "snapshotting" } })).rejects.toMatchObject({
        code: "invalid_transition",
      });
      expect(await store.listEvents("j1")).toHaveLength(1);
      await store.transitionJob("j1", { from: "queued", event: { type: "advance", to: "prompting" } });
      expect((await store.getJob("j1"))?.state).toBe("prompting");
    });

    it("ends failed and canceled jobs in error with a job-failed event, then refuses more events", async () => {
      await store.createJob(newJob("j1"));
      await store.createJob(newJob("j2"));
      const failure = { code: "timeout", message: "slow", hint: "raise it" };
      const failed = await store.transitionJob("j1", { from: "queued", event: { type: "fail", error: failure } });
      expect(failed.job).toMatchObject({ state: "error", error: failure });
      expect(failed.events.map((e) => e.event)).toEqual([
        { type: "state-changed", from: "queued", to: "error" },
        { type: "job-failed", error: failure },
      ]);
      const canceled = await store.transitionJob("j2", { from: "queued", event: { type: "cancel", reason: "user asked" } });
      expect(canceled.job.error).toEqual({ code: "canceled", message: "user asked" });
      await expect(store.appendEvents("j1", [{ type: "job-released", reason: "late" }])).rejects.toMatchObject({ code: "invalid_transition" });
      await expect(store.transitionJob("j1", { from: "error", event: { type: "cancel" } })).rejects.toMatchObject({ code: "invalid_transition" });
      expect(await store.listEvents("j1")).toHaveLength(3);
    });

    it("updates fields with events in one step and keeps per-job seq contiguous under concurrent appends", async () => {
      await store.createJob(newJob("j1"));
      await store.createJob(newJob("j2"));
      const flagged = await store.updateJob("j1", { cancelRequested: true, attempts: 2 }, [{ type: "cancel-requested", reason: "stop" }]);
      expect(flagged).toMatchObject({ cancelRequested: true, attempts: 2, state: "queued" });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendEvents(i % 2 === 0 ? "j1" : "j2", [{ type: "job-progressed", step: "s", message: String(i) }]),
        ),
      );
      expect((await store.listEvents("j1")).map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect((await store.listEvents("j2")).map((e) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    });

    it("answers not_found for every write to an unknown job", async () => {
      await expect(store.transitionJob("ghost", { from: "queued", event: { type: "cancel" } })).rejects.toMatchObject({ code: "not_found" });
      await expect(store.updateJob("ghost", { attempts: 1 })).rejects.toMatchObject({ code: "not_found" });
      await expect(store.appendEvents("ghost", [{ type: "job-released", reason: "x" }])).rejects.toMatchObject({ code: "not_found" });
      expect(await store.listEvents("ghost")).toEqual([]);
    });

    it("lists newest first with filters and a cursor that visits every job once", async () => {
      for (let i = 0; i < 7; i += 1) {
        await store.createJob(newJob(`j${i}`, { createdAt: at(i < 4 ? 10 : 20 + i), promptPurpose: i % 2 === 0 ? "craft" : "refactor" }));
      }
      await store.transitionJob("j6", { from: "queued", event: { type: "cancel" } });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listJobs({ limit: 3, cursor });
        seen.push(...page.jobs.map((j) => j.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual(["j6", "j5", "j4", "j3", "j2", "j1", "j0"]);
      expect((await store.listJobs({ purposes: ["craft"] })).jobs.map((j) => j.id)).toEqual(["j6", "j4", "j2", "j0"]);
      expect((await store.listJobs({ states: ["error"] })).jobs.map((j) => j.id)).toEqual(["j6"]);
      expect((await store.listJobs({ states: ["queued"], purposes: ["refactor"], limit: 1 })).jobs.map((j) => j.id)).toEqual(["j5"]);
      expect((await store.listJobs({ sessionId: "other" })).jobs).toEqual([]);
      await expect(store.listJobs({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "invalid_input" });
      await expect(store.listJobs({ limit: 0 })).rejects.toMatchObject({ code: "invalid_input" });
    });

    it("records artifacts (same name replaces) and snapshots", async () => {
      await store.createJob(newJob("j1"));
      const artifact = { jobId: "j1", name: "changes.patch", kind: "patch", storageUrl: "file:///a", sha256: "a".repeat(64), bytes: 10, contentType: "text/x-diff", createdAt: at(2) };
      await store.recordArtifact(artifact);
      await store.recordArtifact({ ...artifact, name: "report.json", kind: "report", contentType: "application/json", createdAt: at(3) });
      await store.recordArtifact({ ...artifact, sha256: "b".repeat(64), bytes: 11 });
      const listed = await store.listArtifacts("j1");
      expect(listed.map((a) => [a.name, a.bytes])).toEqual([["changes.patch", 11], ["report.json", 10]]);
      await store.recordSnapshot({ jobId: "j1", snapshotId: "s1", storageUrl: "file:///s", bytes: 5, sha256: "c".repeat(64), files: 2, createdAt: at(2) });
      expect(await store.listArtifacts("ghost")).toEqual([]);
    });

    it("sums usage since an instant without counting a settled call's reservation twice", async () => {
      const base = { provider: "openai", model: "m", cached: false, scope: "cli" };
      await store.recordUsage({ ...base, callId: "c1", status: "reserved", usage: { prompt: 100, completion: 0, total: 100 }, costMicros: 500, ts: at(2) });
      expect(await store.usageSince(at(0))).toEqual({ costMicros: 500, tokens: 100, calls: 1 });
      await store.recordUsage({ ...base, callId: "c1", status: "settled", usage: { prompt: 80, completion: 20, total: 100 }, costMicros: 300, ts: at(3) });
      expect(await store.usageSince(at(0))).toEqual({ costMicros: 300, tokens: 100, calls: 1 });
      await store.releaseReservation("c1");
      await store.recordUsage({ ...base, callId: "c2", status: "settled", scope: "token-x", usage: { prompt: 1, completion: 1, total: 2 }, costMicros: null, ts: at(4) });
      expect(await store.usageSince(at(0))).toEqual({ costMicros: 300, tokens: 102, calls: 2 });
      expect(await store.usageSince(at(0), "token-x")).toEqual({ costMicros: 0, tokens: 2, calls: 1 });
      expect(await store.usageSince(at(4))).toEqual({ costMicros: 0, tokens: 2, calls: 1 });
    });

    it("settles a reserved call in one step: the settled entry in, the reservation out", async () => {
      if (store.settleUsage === undefined) return;
      const base = { provider: "openai", model: "m", cached: false, scope: "cli" };
      await store.recordUsage({ ...base, callId: "c1", status: "reserved", usage: { prompt: 100, completion: 0, total: 100 }, costMicros: 500, ts: at(2) });
      await store.recordUsage({ ...base, callId: "c2", status: "reserved", usage: { prompt: 7, completion: 0, total: 7 }, costMicros: 70, ts: at(2) });
      await store.settleUsage({ ...base, callId: "c1", status: "settled", usage: { prompt: 80, completion: 20, total: 100 }, costMicros: 300, ts: at(3) });
      // c1 counts once, as settled; c2's reservation is untouched.
      expect(await store.usageSince(at(0))).toEqual({ costMicros: 370, tokens: 107, calls: 2 });
      await store.releaseReservation("c2");
      expect(await store.usageSince(at(0))).toEqual({ costMicros: 300, tokens: 100, calls: 1 });
      // Settling a call that never reserved is a plain record.
      await store.settleUsage({ ...base, callId: "c3", status: "settled", usage: { prompt: 1, completion: 1, total: 2 }, costMicros: null, ts: at(4) });
      expect(await store.usageSince(at(0))).toEqual({ costMicros: 300, tokens: 102, calls: 2 });
    });

    it("checks the daily cost and per-minute token limits and reserves only within them", async () => {
      if (store.reserveUsage === undefined) return;
      const entry = (callId: string, tokens: number, costMicros: number | null, ts: string) => ({
        callId, scope: "token-a", provider: "openai", model: "m", cached: false, status: "reserved" as const,
        usage: { prompt: tokens, completion: 0, total: tokens }, costMicros, ts,
      });
      const cost = { since: at(0), maxCostMicros: 1_000 };
      const tokens = { scope: "token-a", windowMs: 60_000, maxTokens: 100 };
      expect(await store.reserveUsage({ now: at(2), cost, tokens }, entry("r1", 60, 600, at(2)))).toEqual({ ok: true });
      // The reservation counts at once: another 600 µ$ would pass the quota.
      expect(await store.reserveUsage({ now: at(2), cost }, entry("r2", 1, 600, at(2)))).toEqual({ ok: false, limit: "cost", spentMicros: 600, maxCostMicros: 1_000 });
      // 60 + 50 tokens would pass 100 within the minute; the 60 age out one minute after they were taken.
      const refused = await store.reserveUsage({ now: new Date(Date.parse(at(2)) + 20_000).toISOString(), tokens }, entry("r3", 50, 1, at(2)));
      expect(refused).toEqual({ ok: false, limit: "tokens", usedTokens: 60, maxTokens: 100, retryAfterMs: 40_000 });
      // Settling replaces the reservation: 60 reserved became 30 used.
      await store.recordUsage({ ...entry("r1", 30, 300, at(2)), status: "settled" });
      await store.releaseReservation("r1");
      expect(await store.reserveUsage({ now: at(2), cost, tokens }, entry("r4", 50, 600, at(2)))).toEqual({ ok: true });
      // Another scope has its own token window; the cost quota is shared by every scope.
      expect(await store.reserveUsage({ now: at(2), tokens: { ...tokens, scope: "cli" } }, { ...entry("r5", 90, 0, at(2)), scope: "cli" })).toEqual({ ok: true });
      expect((await store.reserveUsage({ now: at(2), cost }))).toEqual({ ok: true });
      expect(await store.reserveUsage({ now: at(2), cost }, entry("r6", 1, 101, at(2)))).toMatchObject({ ok: false, limit: "cost", spentMicros: 900 });
      // A check without a reservation refuses only a spent limit.
      await store.recordUsage({ ...entry("r7", 0, 100, at(2)), status: "settled" });
      expect(await store.reserveUsage({ now: at(2), cost })).toMatchObject({ ok: false, limit: "cost", spentMicros: 1_000 });
      expect(await store.usageSince(at(0))).toMatchObject({ costMicros: 1_000 });
    });

    it("totals settled, uncached usage per provider and model, and keeps counters", async () => {
      if (store.usageTotals === undefined || store.bumpCounter === undefined || store.readCounters === undefined) return;
      const base = { scope: "cli", cached: false, status: "settled" as const, ts: at(2) };
      await store.recordUsage({ ...base, callId: "a", provider: "openai", model: "m1", usage: { prompt: 10, completion: 5, total: 15 }, costMicros: 100 });
      await store.recordUsage({ ...base, callId: "b", provider: "openai", model: "m1", usage: { prompt: 1, completion: 2, total: 3 }, costMicros: null });
      await store.recordUsage({ ...base, callId: "c", provider: "openai", model: "m1", usage: { prompt: 99, completion: 99, total: 198 }, costMicros: 0, cached: true });
      await store.recordUsage({ ...base, callId: "d", provider: "gemini", model: "g", usage: { prompt: 7, completion: 0, total: 7 }, costMicros: 9, status: "reserved" });
      expect(await store.usageTotals()).toEqual([{ provider: "openai", model: "m1", promptTokens: 11, completionTokens: 7, costMicros: 100, calls: 2 }]);
      await store.bumpCounter("x");
      await store.bumpCounter("x", 4);
      await store.bumpCounter('retries ["openai","qwen:7b"]');
      expect(await store.readCounters()).toEqual({ x: 5, 'retries ["openai","qwen:7b"]': 1 });
    });

    it("lists finished jobs oldest first from an instant, leaving out those already seen there", async () => {
      if (store.finishedJobsSince === undefined) return;
      for (const [id, minute] of [["f1", 3], ["f2", 3], ["f3", 5]] as const) {
        await store.createJob(newJob(id, { promptPurpose: "craft" }));
        subject.setNow(at(minute));
        await store.transitionJob(id, { from: "queued", event: id === "f2" ? { type: "cancel" } : { type: "advance", to: "prompting" } });
        if (id !== "f2") await store.transitionJob(id, { from: "prompting", event: { type: "advance", to: "done" } });
      }
      await store.createJob(newJob("running"));
      const all = await store.finishedJobsSince(undefined, [], 10);
      expect(all.map((j) => [j.id, j.state, j.seconds])).toEqual([["f1", "done", 180], ["f2", "error", 180], ["f3", "done", 300]]);
      expect(all[0]).toMatchObject({ purpose: "craft", provider: "openai", model: "gpt-test", finishedAt: at(3) });
      expect((await store.finishedJobsSince(at(3), ["f1"], 10)).map((j) => j.id)).toEqual(["f2", "f3"]);
      expect((await store.finishedJobsSince(at(3), [], 1)).map((j) => j.id)).toEqual(["f1"]);
    });

    it("finds a stored idempotency key with its fingerprint and job", async () => {
      if (store.findIdempotencyKey === undefined) return;
      await store.createJob(newJob("k1"), { scope: "token-a", key: "key-1", fingerprint: "fp", expiresAt: at(30) });
      expect(await store.findIdempotencyKey("token-a", "key-1")).toEqual({ scope: "token-a", key: "key-1", fingerprint: "fp", jobId: "k1", expiresAt: at(30) });
      expect(await store.findIdempotencyKey("token-b", "key-1")).toBeUndefined();
    });
  });
}
