import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on the first call instead of at import: synchronous code (a template,
 * a token count, a YAML file) keeps its signature, and commands that never reach it never load it.
 * The same instance as an `import` of the package (Node shares one CommonJS cache); a package with
 * separate ESM and CommonJS builds must be loaded this way everywhere, or a process holds both.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
