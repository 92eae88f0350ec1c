import type { FileChange, FileState } from "./patch-plan";
import type { PatchTree, TreeEntry } from "./patch-tree";
import type { Workspace } from "./plan-file-patch";

interface Slot {
  /** What the tree held when first read. */
  original: FileState | null;
  current: FileState | null;
}

/**
 * The tree as the answer's earlier diffs left it, in memory: reads fall through to the real tree
 * once per path, writes stay here. `changes()` is the difference the applier will write.
 */
export function createOverlay(tree: PatchTree): { workspace: Workspace; changes(): FileChange[] } {
  const slots = new Map<string, Slot>();
  const seen = new Map<string, TreeEntry>();
  const readTree = async (path: string): Promise<TreeEntry> => {
    const cached = seen.get(path);
    if (cached !== undefined) return cached;
    const entry = await tree.inspect(path);
    seen.set(path, entry);
    return entry;
  };
  const workspace: Workspace = {
    async read(path) {
      const slot = slots.get(path);
      if (slot !== undefined) return slot.current === null ? { kind: "missing" } : { kind: "file", ...slot.current };
      return readTree(path);
    },
    write(path, state) {
      const slot = slots.get(path);
      if (slot !== undefined) {
        slot.current = state;
        return;
      }
      const entry = seen.get(path);
      const original = entry?.kind === "file" ? { bytes: entry.bytes, mode: entry.mode } : null;
      slots.set(path, { original, current: state });
    },
  };
  return {
    workspace,
    changes: () =>
      [...slots.entries()]
        .filter(([, slot]) => !sameState(slot.original, slot.current))
        .map(([path, slot]) => ({ path, before: slot.original, after: slot.current })),
  };
}

function sameState(a: FileState | null, b: FileState | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mode === b.mode && Buffer.from(a.bytes).equals(b.bytes);
}
