import type { AlertsClient } from "./alerts-client";
import type { ForecastClient } from "./forecast-client";

/** A short plain-text weather report: the next days, then any alert, the most severe first. */
export async function weatherReport(place: { city: string; region: string }, clients: { forecast: ForecastClient; alerts: AlertsClient }): Promise<string> {
  const [days, alerts] = await Promise.all([clients.forecast.forecast(place.city), clients.alerts.alerts(place.region)]);
  const lines = [`Weather for ${place.city}`];
  for (const day of days) lines.push(`  ${day.date}  ${day.lowC}°C – ${day.highC}°C`);
  const order = { severe: 0, moderate: 1, minor: 2 };
  for (const alert of [...alerts].sort((a, b) => order[a.severity] - order[b.severity])) lines.push(`  ! ${alert.severity}: ${alert.title}`);
  return lines.join("\n");
}
