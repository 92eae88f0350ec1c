import { readFileSync } from "node:fs";

/** The package version, read once from package.json next to dist/ or src/. */
export const version: string = (() => {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const url = new URL(candidate, import.meta.url);
      const pkg = JSON.parse(readFileSync(url, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "grompt" && pkg.version !== undefined) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
})();
