import { GromptError } from "../../../core/domain/errors";
import type { CheckSpec, UnavailableCheck } from "./check-spec";

/**
 * Keeps the checks named by `--checks` (or a request's `checks`), in the project's order. A name
 * that is neither available nor known is refused, listing what is there; a name whose tool is not
 * installed is refused with the reason.
 */
export function selectChecks(available: readonly CheckSpec[], unavailable: readonly UnavailableCheck[], names: readonly string[] | undefined): CheckSpec[] {
  if (names === undefined) return [...available];
  const wanted = new Set(names);
  for (const name of wanted) {
    if (available.some((check) => check.name === name)) continue;
    const missing = unavailable.find((check) => check.name === name);
    if (missing !== undefined) throw new GromptError("invalid_input", `check ${name} cannot run: ${missing.reason}`, { details: { check: name } });
    const names = available.map((check) => check.name);
    throw new GromptError("invalid_input", `no check is named ${JSON.stringify(name)} in this project`, {
      hint: names.length === 0 ? "This project has no checks: add some under `checks:` in .grompt/config.yaml, or run with --no-validate." : `Available: ${names.join(", ")} (detected from the repository or configured under \`checks:\` in .grompt/config.yaml).`,
      details: { check: name, available: names },
    });
  }
  return available.filter((check) => wanted.has(check.name));
}
