import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import fg from "fast-glob";

/**
 * The e2e tests run the built CLI (`bin/grompt` → `dist/cli.js`). `npm test` builds first; when
 * vitest is run alone, rebuild if any source is newer than the bundle.
 */
export default function setup(): void {
  const root = join(import.meta.dirname, "..", "..");
  const bundle = join(root, "dist", "cli.js");
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const newest = Math.max(...fg.sync("src/**/*.ts", { cwd: root, absolute: true }).map((f) => statSync(f).mtimeMs));
  if (newest > built) execFileSync("npx", ["tsup", "--silent"], { cwd: root, stdio: "inherit" });
}
