import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { GromptError } from "../../core/domain/errors";

/**
 * Writes a file so that readers see the old content or the new one, never a part: the text goes to
 * a temporary file in the same directory, is flushed, then renamed over the target — or, when
 * overwriting is not allowed, hard-linked to it, which fails atomically if the target appeared.
 */
export function writeFileAtomic(file: string, text: string, options: { overwrite: boolean }): void {
  const dir = dirname(file);
  const temporary = join(dir, `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temporary, "wx", 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.overwrite) renameSync(temporary, file);
    else linkSync(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      throw new GromptError("invalid_input", `${file} already exists`, { hint: "Choose another id, or pass --force to replace it.", cause: error });
    }
    throw new GromptError("io_error", `cannot write ${file}: ${(error as Error).message}`, {
      hint: "Check that the directory is writable.",
      cause: error,
    });
  } finally {
    rmSync(temporary, { force: true });
  }
}
