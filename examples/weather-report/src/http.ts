/** The part of `fetch` the clients use, so tests can hand them a scripted one. */
export type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<HttpResponse>;

export interface HttpResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/** A response that was not 2xx. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`GET ${url} answered HTTP ${status}`);
    this.name = "HttpError";
  }
}

export async function getJson(fetch: Fetch, url: string): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (!response.ok) throw new HttpError(response.status, url);
  return response.json();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
