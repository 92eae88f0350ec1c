// Exactness check for the snapshot bench: every file of a snapshot's .latx (the contents as sent,
// redactions included) counted by gpt-tokenizer's own o200k_base `countTokens` and by grompt's
// counter. Prints the reference total (to hold against what `grompt snapshot` reported) and how
// many files the two count differently. Run with `node --import tsx`.
import { createReadStream } from "node:fs";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { readLatxEntries } from "../../src/adapters/snapshot/latx-reader";
import { loadO200kCounter } from "../../src/app/snapshot/count-o200k-tokens";

const [latx = "snapshot.latx"] = process.argv.slice(2);
const count = await loadO200kCounter();
const asText = { disallowedSpecial: new Set<string>() };
let files = 0;
let reference = 0;
const mismatches: string[] = [];
for await (const entry of readLatxEntries(createReadStream(latx))) {
  if (entry.header) continue;
  const text = entry.content.toString("utf8");
  const expected = countTokens(text, asText);
  files += 1;
  reference += expected;
  if (count(text) !== expected) mismatches.push(entry.path);
}
process.stdout.write(JSON.stringify({ files, reference, mismatches }));
