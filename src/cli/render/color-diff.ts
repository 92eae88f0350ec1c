import chalk from "chalk";

/** A unified diff coloured as git colours it: headers bold, hunk lines cyan, additions green, removals red. */
export function colorDiff(diff: string): string {
  return diff
    .split("\n")
    .map((line) => {
      if (line.startsWith("diff --git") || line.startsWith("--- ") || line.startsWith("+++ ")) return chalk.bold(line);
      if (/^(index |new file mode|deleted file mode|old mode|new mode|similarity|rename )/.test(line)) return chalk.dim(line);
      if (line.startsWith("@@")) return chalk.cyan(line);
      if (line.startsWith("+")) return chalk.green(line);
      if (line.startsWith("-")) return chalk.red(line);
      return line;
    })
    .join("\n");
}
