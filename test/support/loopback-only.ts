/**
 * Imported first by provider tests: any fetch to a host other than 127.0.0.1/localhost fails loudly,
 * so a test can never reach a vendor's real API (for example through an SDK's default base URL).
 */
const realFetch = globalThis.fetch;

globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new Error(`test tried to reach ${url.origin}; tests only talk to loopback fakes`);
  }
  return realFetch(input, init);
}) as typeof fetch;
