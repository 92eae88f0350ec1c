import { renameSync } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { parseDelayedName, parseReadyName } from "./spool-names";

/** A temp file this old was left by a crash mid-enqueue. */
const staleTempMs = 60_000;

/**
 * A crash between writing an entry's temp file and moving it into place leaves it in tmp/: one
 * already linked into index/ got that far, so the enqueue is finished; any other never happened.
 */
export async function recoverTemps(spool: { dir: string; now: () => number; list: (place: "tmp") => Promise<string[]> }): Promise<void> {
  const { dir, now } = spool;
  for (const name of await spool.list("tmp")) {
    const file = join(dir, "tmp", name);
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || now() - info.mtimeMs < staleTempMs) continue;
    const target = name.slice(0, name.lastIndexOf("."));
    const place = parseReadyName(target) !== undefined ? "ready" : parseDelayedName(target) !== undefined ? "delayed" : undefined;
    if (info.nlink >= 2 && place !== undefined) {
      try {
        renameSync(file, join(dir, place, target));
      } catch {
        // Finished or removed by another process meanwhile.
      }
    } else {
      await unlink(file).catch(() => undefined);
    }
  }
}
