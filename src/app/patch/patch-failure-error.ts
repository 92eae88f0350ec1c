import { GromptError } from "../../core/domain/errors";
import type { PatchFailure } from "./patch-problem";

const hints: Partial<Record<string, string>> = {
  "input-empty": "Pass a file or stdin that holds a unified diff.",
  "no-diff-found": "The answer must contain a unified diff: a ```diff block, or ---/+++ headers with @@ hunks.",
  "input-too-large": "Pass only the diff, not a whole transcript or archive.",
  "input-not-utf8": "Save the diff as UTF-8 text.",
};

/** The GromptError for a refused patch: exit 4, the per-problem report in `details.problems`. */
export function patchFailureError(failure: PatchFailure): GromptError {
  const first = failure.problems[0]?.reason ?? "";
  return new GromptError(failure.code, failure.message, {
    hint: hints[first] ?? "Fix the diff as the report says (reason, missing lines, the file's nearest lines), then apply again.",
    details: { problems: failure.problems },
  });
}
