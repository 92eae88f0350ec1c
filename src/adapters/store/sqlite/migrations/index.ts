import type { Migration } from "kysely";
import * as initial from "./0001-initial";

/** Every migration, in order. Listed in code so the bundled CLI needs no migration folder. */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
};
