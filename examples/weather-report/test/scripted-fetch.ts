import type { Fetch } from "../src/http";

/** One answer of a scripted fetch: a status and a body, or a thrown error (a network failure). */
export type Reply = { status: number; body?: unknown } | { error: Error };

/** A fetch that plays `replies` in order and records the URLs it was asked for. */
export function scriptedFetch(replies: Reply[]): Fetch & { urls: string[] } {
  const urls: string[] = [];
  const fetch = async (url: string) => {
    urls.push(url);
    const reply = replies.shift();
    if (reply === undefined) throw new Error(`unexpected request: ${url}`);
    if ("error" in reply) throw reply.error;
    return { ok: reply.status >= 200 && reply.status < 300, status: reply.status, json: async () => reply.body };
  };
  return Object.assign(fetch, { urls });
}

/** A sleep that returns at once and remembers how long it was asked to wait. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = [];
  return Object.assign(async (ms: number) => void waits.push(ms), { waits });
}
