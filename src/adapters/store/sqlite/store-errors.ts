import { GromptError, isGromptError } from "../../../core/domain/errors";

/** Maps a SQLite failure to a GromptError; GromptErrors pass through. */
export function toStoreError(error: unknown): GromptError {
  if (isGromptError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new GromptError("store_unavailable", `The database is busy: ${message}`, {
      hint: "Another grompt process holds the database for too long; retry, or stop the other process.",
      retryable: true,
      cause: error,
    });
  }
  if (typeof code === "string" && code.startsWith("SQLITE_")) {
    return new GromptError("store_unavailable", `The database failed: ${message}`, {
      hint: "If the file is corrupt or read-only, move $GROMPT_HOME/grompt.db away (a new one is created), or set GROMPT_HOME.",
      cause: error,
    });
  }
  return new GromptError("internal", message, { cause: error });
}
