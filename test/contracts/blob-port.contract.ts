import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BlobPort } from "../../src/core/ports/blob-port";

const sha = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Every BlobPort (filesystem today, object stores later) must pass this suite. */
export function runBlobPortContract(name: string, makeStore: () => Promise<BlobPort>): void {
  describe(`BlobPort contract: ${name}`, () => {
    it("stores bytes under their sha256 and gives them back", async () => {
      const store = await makeStore();
      const data = Buffer.from([0, 1, 2, 255, 10, 13]);
      const ref = await store.put(data);
      expect(ref).toMatchObject({ sha256: sha(data), bytes: 6 });
      expect(Buffer.from(await store.get(ref.sha256)).equals(data)).toBe(true);
      expect(await store.has(ref.sha256)).toBe(true);
      const chunks: Buffer[] = [];
      for await (const chunk of store.open(ref.sha256)) chunks.push(Buffer.from(chunk));
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
    });

    it("stores strings as UTF-8 and is idempotent", async () => {
      const store = await makeStore();
      const first = await store.put("héllo");
      const second = await store.put(Buffer.from("héllo", "utf8"));
      expect(second).toEqual(first);
      expect(first.bytes).toBe(6);
    });

    it("streams a file in and hashes it on the way", async () => {
      const store = await makeStore();
      const dir = await mkdtemp(join(tmpdir(), "grompt-blob-src-"));
      const file = join(dir, "big.bin");
      const data = Buffer.alloc(3 * 1024 * 1024 + 7, 7);
      writeFileSync(file, data);
      const ref = await store.putFile(file);
      expect(ref).toMatchObject({ sha256: sha(data), bytes: data.length });
      expect(Buffer.from(await store.get(ref.sha256)).equals(data)).toBe(true);
      expect(await store.putFile(file)).toEqual(ref);
    });

    it("answers not_found for a missing blob and refuses what is not a sha256", async () => {
      const store = await makeStore();
      const missing = sha("never stored");
      expect(await store.has(missing)).toBe(false);
      await expect(store.get(missing)).rejects.toMatchObject({ code: "not_found" });
      await expect((async () => {
        for await (const _ of store.open(missing)) void _;
      })()).rejects.toMatchObject({ code: "not_found" });
      await expect(store.get("../../etc/passwd")).rejects.toMatchObject({ code: "invalid_input" });
      await expect(store.putFile(join(tmpdir(), "grompt-no-such-file"))).rejects.toMatchObject({ code: "not_found" });
    });
  });
}
