/** Small text formatters shared by the CLI's tables and detail views. */

export function formatAge(fromIso: string, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** Micro-dollars as dollars; `?` when some call had no known price, `-` when nothing was spent yet. */
export function formatCost(costMicros: number | null | undefined): string {
  if (costMicros === undefined) return "-";
  if (costMicros === null) return "?";
  const dollars = costMicros / 1_000_000;
  return dollars >= 0.01 ? `$${dollars.toFixed(2)}` : `$${dollars.toFixed(6)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
