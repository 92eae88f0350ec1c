import { type Fetch, HttpError, getJson, sleep } from "./http";

export interface DailyForecast {
  date: string;
  highC: number;
  lowC: number;
}

export interface ForecastClientOptions {
  baseUrl: string;
  fetch?: Fetch;
  /** How the client waits between attempts (tests pass one that records the delays). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ForecastClient {
  forecast(city: string): Promise<DailyForecast[]>;
}

export function createForecastClient(options: ForecastClientOptions): ForecastClient {
  const fetch = options.fetch ?? globalThis.fetch;
  const wait = options.sleep ?? sleep;

  return {
    async forecast(city) {
      const url = `${options.baseUrl}/forecast?city=${encodeURIComponent(city)}`;
      let attempt = 0;
      for (;;) {
        attempt += 1;
        try {
          return parseForecast(await getJson(fetch, url));
        } catch (error) {
          // 429 and 5xx are worth another try, and so is a network failure (fetch throws a TypeError).
          const transient = error instanceof HttpError ? error.status === 429 || error.status >= 500 : error instanceof TypeError;
          if (!transient || attempt >= 3) throw error;
          await wait(250 * 2 ** (attempt - 1));
        }
      }
    },
  };
}

function parseForecast(body: unknown): DailyForecast[] {
  const days = (body as { days?: unknown }).days;
  if (!Array.isArray(days)) throw new Error("forecast: the answer has no days");
  return days.map((day: { date: string; high: number; low: number }) => ({ date: day.date, highC: day.high, lowC: day.low }));
}
