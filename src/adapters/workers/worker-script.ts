/**
 * How to start a worker thread whose entry is `<name>.ts` beside the caller (`callerUrl`, its
 * `import.meta.url`). The bundle ships it as `<name>.js` next to the caller's chunk in dist/. From
 * sources (tests, tsx) the .ts file is imported after registering tsx's loader inside the worker
 * (`--import tsx` in a worker's execArgv does not reach its module loader on Node 20). The process's
 * own flags are not passed on: V8 heap flags such as --max-old-space-size are refused by workers.
 */
export function workerScript(name: string, callerUrl: string): { script: string | URL; options: { eval?: boolean; execArgv: string[] } } {
  if (!callerUrl.endsWith(".ts")) return { script: new URL(`./${name}.js`, callerUrl), options: { execArgv: [] } };
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const script = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return { script, options: { eval: true, execArgv: [] } };
}
