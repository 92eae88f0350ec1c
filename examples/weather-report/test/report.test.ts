import { expect, it } from "vitest";
import { weatherReport } from "../src/report";

it("lists the days, then the alerts, the most severe first", async () => {
  const report = await weatherReport(
    { city: "Lisbon", region: "PT-11" },
    {
      forecast: { forecast: async () => [{ date: "2026-05-01", highC: 24, lowC: 15 }] },
      alerts: { alerts: async () => [{ title: "Wind", severity: "minor" }, { title: "Heat", severity: "severe" }] },
    },
  );
  expect(report).toBe("Weather for Lisbon\n  2026-05-01  15°C – 24°C\n  ! severe: Heat\n  ! minor: Wind");
});
