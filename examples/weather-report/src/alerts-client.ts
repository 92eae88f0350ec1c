import { type Fetch, HttpError, getJson, sleep } from "./http";

export type Severity = "minor" | "moderate" | "severe";

export interface WeatherAlert {
  title: string;
  severity: Severity;
}

export interface AlertsClientOptions {
  baseUrl: string;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface AlertsClient {
  alerts(region: string): Promise<WeatherAlert[]>;
}

export function createAlertsClient(options: AlertsClientOptions): AlertsClient {
  const fetch = options.fetch ?? globalThis.fetch;
  const wait = options.sleep ?? sleep;

  return {
    async alerts(region) {
      const url = `${options.baseUrl}/alerts/${encodeURIComponent(region)}`;
      // Alerts matter more than forecasts: one more attempt, and a shorter first wait.
      let attempt = 0;
      for (;;) {
        attempt += 1;
        try {
          const body = (await getJson(fetch, url)) as { alerts?: WeatherAlert[] };
          return body.alerts ?? [];
        } catch (error) {
          const transient = error instanceof HttpError ? error.status === 429 || error.status >= 500 : error instanceof TypeError;
          if (!transient || attempt >= 4) throw error;
          await wait(100 * 2 ** (attempt - 1));
        }
      }
    },
  };
}
