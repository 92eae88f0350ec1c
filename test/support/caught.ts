import { GromptError } from "../../src/core/domain/errors";

/** Runs `run` and returns the GromptError it throws, so a test can assert on code, message and details. */
export function caught(run: () => unknown): GromptError {
  try {
    run();
  } catch (error) {
    if (error instanceof GromptError) return error;
    throw error;
  }
  throw new Error("expected a GromptError");
}
