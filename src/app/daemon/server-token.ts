import { createHash, randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { GromptError } from "../../core/domain/errors";

export interface ServerToken {
  token: string;
  /** Where it came from, for the startup line: never the token itself. */
  source: "config" | "file" | "generated";
  /** The token file (also when the token came from the config and no file is used). */
  file: string;
  /** The token's scope for idempotency keys and the usage ledger: not the token, a hash of it. */
  scope: string;
}

const minLength = 16;

/** `token:` + the first 16 hex digits of the token's sha256: identifies it in the ledger and logs without revealing it. */
export const tokenScope = (token: string): string => `token:${createHash("sha256").update(token).digest("hex").slice(0, 16)}`;

/**
 * The daemon's bearer token: `server.token` (GROMPT_TOKEN) when configured, else `$GROMPT_HOME/token`,
 * generated on first start — 256 random bits, written with mode 0600 through a temporary file
 * linked into place, so a reader never sees half a token and two daemons starting together agree
 * on one. A token file others can read is tightened to 0600.
 */
export function ensureServerToken(input: { home: string; configured?: string; warn?: (message: string) => void }): ServerToken {
  const file = join(input.home, "token");
  if (input.configured !== undefined) return { token: input.configured, source: "config", file, scope: tokenScope(input.configured) };
  const existing = readTokenFile(file, input.warn);
  if (existing !== undefined) return { token: existing, source: "file", file, scope: tokenScope(existing) };
  const token = randomBytes(32).toString("base64url");
  const temporary = join(input.home, `.token.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    mkdirSync(input.home, { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, "wx", 0o600);
    try {
      writeSync(fd, `${token}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      // Another daemon wrote it first: use theirs.
      const theirs = readTokenFile(file, input.warn);
      if (theirs !== undefined) return { token: theirs, source: "file", file, scope: tokenScope(theirs) };
    }
    throw new GromptError("io_error", `Cannot write the token file ${file}: ${(error as Error).message}`, {
      hint: "Make $GROMPT_HOME writable, or set GROMPT_TOKEN.",
      cause: error,
    });
  } finally {
    rmSync(temporary, { force: true });
  }
  return { token, source: "generated", file, scope: tokenScope(token) };
}

function readTokenFile(file: string, warn?: (message: string) => void): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new GromptError("io_error", `Cannot read the token file ${file}: ${(error as Error).message}`, { cause: error });
  }
  const token = text.trim();
  if (token.length < minLength || /\s/.test(token)) {
    throw new GromptError("config_invalid", `The token file ${file} does not hold a token (one line, at least ${minLength} characters, no spaces)`, {
      hint: "Delete it to have a new one generated, or set GROMPT_TOKEN.",
    });
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    warn?.(`${file} was readable by other users; its mode is now 0600`);
  }
  return token;
}
