import type { PatchTree, TreeEntry } from "../../patch/patch-tree";
import type { FixtureTree } from "./fixture-tree";

/** Where fixture trees pretend to live; nothing is ever read or written there. */
const fixtureRoot = "/grompt-eval-fixture";

/**
 * An eval case's fixture as the patch engine's tree, entirely in memory: files are regular text
 * files (mode 644), directories are implied by the paths under them, anything else is missing.
 */
export function createFixturePatchTree(fixture: FixtureTree): PatchTree {
  const files = new Map<string, Uint8Array>([...fixture.files].map(([path, text]) => [path, new TextEncoder().encode(text)]));
  const directories = new Set<string>();
  for (const path of files.keys()) {
    const parts = path.split("/");
    for (let depth = 1; depth < parts.length; depth += 1) directories.add(parts.slice(0, depth).join("/"));
  }
  return {
    root: fixtureRoot,
    async inspect(path): Promise<TreeEntry> {
      const bytes = files.get(path);
      if (bytes !== undefined) return { kind: "file", bytes, mode: 0o644 };
      if (directories.has(path)) return { kind: "directory" };
      const parts = path.split("/");
      for (let depth = 1; depth < parts.length; depth += 1) {
        const parent = parts.slice(0, depth).join("/");
        if (files.has(parent)) return { kind: "parent-not-directory", parent };
      }
      return { kind: "missing" };
    },
  };
}
