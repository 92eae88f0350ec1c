import { defineConfig } from "tsup";

export default defineConfig({
  // The analysis worker is its own file: worker threads load it by path (src/app/snapshot/text-analysis.ts).
  // So is the spool writer (src/adapters/queue/file-spool/spool-writer.ts).
  entry: {
    cli: "src/cli/main.ts",
    "text-analysis-worker": "src/app/snapshot/text-analysis-worker.ts",
    "spool-writer-worker": "src/adapters/queue/file-spool/spool-writer-worker.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  outDir: "dist",
  clean: true,
  sourcemap: true,
  // Splitting keeps `await import(...)` lazy: without it the imported module's dependencies (kysely,
  // better-sqlite3) are hoisted into the startup path of every command, --help included.
  splitting: true,
  // Dependencies stay external: they are installed with the package. Except two pure-ESM ones on
  // the start-up path of everyday commands, which Node would otherwise load file by file (zod: 95
  // modules, kysely: 263): bundled into the chunks that use them, `config show` and `jobs list`
  // start 25 and 85 ms sooner. Both have no dependencies of their own.
  skipNodeModulesBundle: true,
  noExternal: ["zod", "kysely"],
});
