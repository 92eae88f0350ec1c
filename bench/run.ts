/**
 * `npm run bench [suite ...]`: runs every suite in bench/suites (or the named ones). Each suite
 * measures its subject next to a baseline taken in the same run and prints figures and ratios.
 */
import { basename, join } from "node:path";
import fg from "fast-glob";

export interface BenchSuite {
  /** One line saying what is measured against what. */
  title: string;
  run(args: string[]): Promise<void>;
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const extra = process.argv.slice(2).filter((a) => a.startsWith("-"));
const files = (await fg("suites/*.ts", { cwd: import.meta.dirname, absolute: true })).sort();
const selected = files.filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".ts")));
if (selected.length === 0) {
  console.error(`No bench suite matches ${wanted.join(", ")}. Known: ${files.map((f) => basename(f, ".ts")).join(", ")}`);
  process.exit(2);
}
for (const file of selected) {
  const suite = ((await import(file)) as { default: BenchSuite }).default;
  console.log(`\n## ${basename(file, ".ts")}: ${suite.title}\n`);
  await suite.run(extra);
}
console.log(`\nbench ran on node ${process.version}, ${join(process.platform, process.arch)}`);
