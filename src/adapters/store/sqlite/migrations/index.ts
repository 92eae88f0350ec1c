import type { Migration } from "kysely";
import * as initial from "./0001-initial";
import * as hotPathIndexes from "./0002-hot-path-indexes";
import * as usageDailyTotal from "./0003-usage-daily-total";

/** Every migration, in order. Listed in code so the bundled CLI needs no migration folder. */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-hot-path-indexes": hotPathIndexes,
  "0003-usage-daily-total": usageDailyTotal,
};
