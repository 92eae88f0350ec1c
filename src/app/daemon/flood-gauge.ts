/** How many job submissions a second make a flood: above it, answering them comes before starting jobs. */
export const floodPerSecond = 200;
const windowMs = 100;

export interface FloodGauge {
  /** Counts one job submission. */
  note(): void;
  /** True while submissions arrive faster than `perSecond` (over the last 100–200 ms). */
  flooded(): boolean;
}

/**
 * Submissions counted in 100 ms windows: the current one and the one before. Cheap enough to ask
 * on every claim, and it forgets a flood within 200 ms of its end.
 */
export function createFloodGauge(options: { perSecond?: number; now?: () => number } = {}): FloodGauge {
  const now = options.now ?? (() => performance.now());
  const perWindow = ((options.perSecond ?? floodPerSecond) * windowMs) / 1000;
  let windowStart = now();
  let current = 0;
  let previous = 0;
  const roll = () => {
    const elapsed = now() - windowStart;
    if (elapsed < windowMs) return;
    previous = elapsed < 2 * windowMs ? current : 0;
    current = 0;
    windowStart += elapsed - (elapsed % windowMs);
  };
  return {
    note() {
      roll();
      current += 1;
    },
    flooded() {
      roll();
      return current >= perWindow || previous >= perWindow;
    },
  };
}
