import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { GromptError } from "../../../core/domain/errors";
import { type CassetteEntry, parseCassette, serializeCassette } from "./cassette";

/** The cassette's entries; an absent file is an empty cassette when `allowMissing`, an error otherwise. */
export function readCassetteFile(path: string, options: { allowMissing: boolean }): CassetteEntry[] {
  const file = resolve(path);
  if (!existsSync(file)) {
    if (options.allowMissing) return [];
    throw new GromptError("invalid_input", `Cassette ${file} does not exist`, {
      hint: "Record one first: grompt ask \"...\" --record cassette.jsonl",
      details: { file },
    });
  }
  try {
    return parseCassette(readFileSync(file, "utf8"), file);
  } catch (error) {
    if (error instanceof GromptError) throw error;
    throw new GromptError("io_error", `Cannot read cassette ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes the whole cassette atomically (temp file + rename), so a crash never leaves half a line. */
export function writeCassetteFile(path: string, entries: readonly CassetteEntry[]): void {
  const file = resolve(path);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temp, serializeCassette(entries));
    renameSync(temp, file);
  } catch (error) {
    throw new GromptError("io_error", `Cannot write cassette ${file}: ${(error as Error).message}`, { cause: error });
  }
}
