import { describe, expect, it } from "vitest";
import { createForecastClient } from "../src/forecast-client";
import { HttpError } from "../src/http";
import { recordingSleep, scriptedFetch } from "./scripted-fetch";

const days = { days: [{ date: "2026-05-01", high: 21, low: 12 }] };

describe("forecast client", () => {
  it("reads the forecast of a city", async () => {
    const fetch = scriptedFetch([{ status: 200, body: days }]);
    const client = createForecastClient({ baseUrl: "https://api.test", fetch });
    await expect(client.forecast("São Paulo")).resolves.toEqual([{ date: "2026-05-01", highC: 21, lowC: 12 }]);
    expect(fetch.urls).toEqual(["https://api.test/forecast?city=S%C3%A3o%20Paulo"]);
  });

  it("tries again after 503 and 429, waiting 250 ms then 500 ms", async () => {
    const sleep = recordingSleep();
    const fetch = scriptedFetch([{ status: 503 }, { status: 429 }, { status: 200, body: days }]);
    const client = createForecastClient({ baseUrl: "https://api.test", fetch, sleep });
    await expect(client.forecast("Lisbon")).resolves.toHaveLength(1);
    expect(sleep.waits).toEqual([250, 500]);
  });

  it("gives up after 3 attempts with the last error", async () => {
    const sleep = recordingSleep();
    const fetch = scriptedFetch([{ status: 500 }, { error: new TypeError("fetch failed") }, { status: 502 }]);
    const client = createForecastClient({ baseUrl: "https://api.test", fetch, sleep });
    await expect(client.forecast("Oslo")).rejects.toEqual(new HttpError(502, "https://api.test/forecast?city=Oslo"));
    expect(fetch.urls).toHaveLength(3);
  });

  it("does not try again after a 404", async () => {
    const fetch = scriptedFetch([{ status: 404 }]);
    const client = createForecastClient({ baseUrl: "https://api.test", fetch, sleep: recordingSleep() });
    await expect(client.forecast("Atlantis")).rejects.toBeInstanceOf(HttpError);
    expect(fetch.urls).toHaveLength(1);
  });
});
