import { posix } from "node:path";

const jsImports = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  /\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];
const pythonImports = [/^\s*from\s+(\.*[\w.]*)\s+import\b/gm, /^\s*import\s+([\w.]+)/gm];
const jsExtensions = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;

/** Module specifiers a source file imports (relative ones only matter for neighbours). */
export function importSpecifiers(path: string, text: string): string[] {
  const patterns = path.endsWith(".py") ? pythonImports : jsExtensions.test(path) ? jsImports : [];
  const found = new Set<string>();
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) if (match[1]) found.add(match[1]);
  return [...found];
}

const resolutionSuffixes = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json", ".vue", ".svelte", "/index.ts", "/index.tsx", "/index.js", "/index.jsx", "/index.mjs"];

/**
 * The file a specifier points at, among the snapshot's paths: relative JavaScript/TypeScript
 * specifiers (with the usual extensions, `index` files, and `.js` written for a `.ts` source) and
 * Python modules (relative, or from the root or `src/`). Package imports resolve to nothing.
 */
export function resolveImport(importer: string, specifier: string, paths: ReadonlySet<string>): string | undefined {
  const dir = posix.dirname(importer);
  if (importer.endsWith(".py")) return resolvePython(dir, specifier, paths);
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  const base = posix.normalize(posix.join(dir, specifier));
  if (base.startsWith("../")) return undefined;
  const stripped = base.replace(/\.(?:[cm]?js|jsx)$/, "");
  for (const stem of stripped === base ? [base] : [base, stripped]) {
    for (const suffix of resolutionSuffixes) if (paths.has(stem + suffix)) return stem + suffix;
  }
  return undefined;
}

function resolvePython(dir: string, specifier: string, paths: ReadonlySet<string>): string | undefined {
  const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
  const module = specifier.slice(dots).replaceAll(".", "/");
  const bases: string[] = [];
  if (dots > 0) {
    let base = dir;
    for (let up = 1; up < dots; up++) base = posix.dirname(base);
    bases.push(base === "." ? "" : base);
  } else bases.push("", "src");
  for (const base of bases) {
    const stem = posix.join(base, module);
    for (const candidate of [`${stem}.py`, `${stem}/__init__.py`]) if (paths.has(candidate)) return candidate;
  }
  return undefined;
}
