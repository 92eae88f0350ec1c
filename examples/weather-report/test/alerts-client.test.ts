import { describe, expect, it } from "vitest";
import { createAlertsClient } from "../src/alerts-client";
import { recordingSleep, scriptedFetch } from "./scripted-fetch";

describe("alerts client", () => {
  it("reads the alerts of a region, none when the answer has none", async () => {
    const fetch = scriptedFetch([{ status: 200, body: { alerts: [{ title: "Heat", severity: "moderate" }] } }, { status: 200, body: {} }]);
    const client = createAlertsClient({ baseUrl: "https://api.test", fetch });
    await expect(client.alerts("PT-11")).resolves.toEqual([{ title: "Heat", severity: "moderate" }]);
    await expect(client.alerts("PT-11")).resolves.toEqual([]);
  });

  it("makes 4 attempts, waiting 100, 200 and 400 ms", async () => {
    const sleep = recordingSleep();
    const fetch = scriptedFetch([{ status: 503 }, { error: new TypeError("fetch failed") }, { status: 500 }, { status: 200, body: { alerts: [] } }]);
    const client = createAlertsClient({ baseUrl: "https://api.test", fetch, sleep });
    await expect(client.alerts("NO-03")).resolves.toEqual([]);
    expect(sleep.waits).toEqual([100, 200, 400]);
  });

  it("fails at once on a client error", async () => {
    const fetch = scriptedFetch([{ status: 401 }]);
    const client = createAlertsClient({ baseUrl: "https://api.test", fetch, sleep: recordingSleep() });
    await expect(client.alerts("XX")).rejects.toThrow("HTTP 401");
  });
});
