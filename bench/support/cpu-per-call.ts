/** One event-loop turn: deferred work (the response cache's store) runs and is counted with its call. */
export const drained = () => new Promise<void>((resolve) => setImmediate(resolve));

export type Call = (question: number) => Promise<unknown>;

/**
 * CPU (user + system) per call over `blocks` blocks of `calls` calls, each call followed by one
 * event-loop turn so deferred work is counted; the lowest block, after `warmup` calls. Questions
 * count up from `first` so no call hits the response cache (warm-up calls count down below it).
 */
export async function cpuPerCall(work: Call, options: { first: number; calls: number; blocks: number; warmup?: number }): Promise<number> {
  for (let i = 0; i < (options.warmup ?? 0); i += 1) {
    await work(options.first - i - 1);
    await drained();
  }
  const perBlock: number[] = [];
  for (let block = 0; block < options.blocks; block += 1) {
    const before = process.cpuUsage();
    for (let i = 0; i < options.calls; i += 1) {
      await work(options.first + block * options.calls + i);
      await drained();
    }
    const used = process.cpuUsage(before);
    perBlock.push((used.user + used.system) / options.calls);
  }
  return Math.min(...perBlock);
}
