/** One sample of the Prometheus text exposition format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the text exposition format strictly enough to catch a malformed line: every non-comment
 * line must be `name{label="value",...} number`, and every sample's family must be declared by
 * `# TYPE` before it.
 */
export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type !== null) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (line.startsWith("# HELP ")) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|[Nn]a[Nn]|\+Inf|-Inf))$/.exec(line);
    if (sample === null) throw new Error(`not a Prometheus line: ${line}`);
    const name = sample[1] as string;
    const family = [...types.keys()].find((f) => name === f || name === `${f}_bucket` || name === `${f}_sum` || name === `${f}_count` || name === `${f}_total`);
    if (family === undefined) throw new Error(`sample before its # TYPE: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] as string] = pair[2] as string;
    // Prometheus parses floats as Go does: NaN in any letter case.
    const raw = sample[3] as string;
    samples.push({ name, labels, value: /^nan$/i.test(raw) ? Number.NaN : Number(raw) });
  }
  return { samples, types };
}

/** The value of the sample with this name and at least these labels (0 when absent). */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}
