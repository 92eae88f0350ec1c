// The floor of the work a snapshot must do, on one thread and nothing else: read every file named
// in a manifest.json, then the required per-file CPU work (binary sniff, UTF-8 check, decode,
// secret pre-filter, sha256, exact o200k token count), each stage timed. Writes no output.
// Run with `node --import tsx`: it uses grompt's own functions, so the figures are theirs.
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { secretPrefilter } from "../../src/adapters/snapshot/secret-scanner";
import { loadO200kCounter } from "../../src/app/snapshot/count-o200k-tokens";

const [root = ".", list = "manifest.json"] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(list, "utf8")) as { files: { path: string; mode: string }[] };
const paths = manifest.files.filter((file) => file.mode !== "120000").map((file) => join(root, file.path));
const stages: Record<string, number> = {};
let lap = performance.now();
const time = (stage: string) => {
  const now = performance.now();
  stages[stage] = (stages[stage] ?? 0) + (now - lap);
  lap = now;
};
const count = await loadO200kCounter();
time("load tokenizer");
let tokens = 0;
for (const path of paths) {
  const bytes = readFileSync(path);
  time("read");
  if (bytes.subarray(0, 8000).includes(0) || !isUtf8(bytes)) throw new Error(`${path} is not text`);
  time("check");
  const text = bytes.toString("utf8");
  time("decode");
  secretPrefilter.test(text);
  time("secret pre-filter");
  createHash("sha256").update(bytes).digest("hex");
  time("sha256");
  tokens += count(text);
  time("tokenize");
}
process.stdout.write(JSON.stringify({ files: paths.length, tokens, stages }));
