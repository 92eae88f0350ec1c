// Preloaded into every measured process (`node --import`): on exit, writes the peak resident set
// size and the CPU time of the whole process (all its threads) to the file named by BENCH_USAGE_FILE.
import { writeFileSync } from "node:fs";

const target = process.env.BENCH_USAGE_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
