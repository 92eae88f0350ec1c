import { describe, expect, it } from "vitest";
import {
  containsMarkerLine,
  formatHeader,
  isFramablePath,
  markerLine,
  parseHeader,
  parseMarkerLine,
} from "../../../src/adapters/snapshot/latx-format";
import { readLatxEntries } from "../../../src/adapters/snapshot/latx-reader";
import { GromptError } from "../../../src/core/domain/errors";

const FS = "\x1c";

/** A .latx as grompt writes it: header, then marker + bytes + one separator per file. */
function latxOf(files: [string, Buffer | string][]): Buffer {
  const header = formatHeader({ snapshotId: "0".repeat(64), files: files.length, bytes: 0, executables: [], links: [] });
  return Buffer.concat([header, ...files.flatMap(([path, content]) => [markerLine(path), Buffer.from(content), Buffer.from("\n")])]);
}

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(bytes: Buffer, size = 1 << 16) {
  const out: { path: string; header: boolean; content: string }[] = [];
  for await (const entry of readLatxEntries(chunks(bytes, size))) {
    out.push({ path: entry.path, header: entry.header, content: entry.content.toString("latin1") });
  }
  return out;
}

const tricky: [string, string][] = [
  ["a.txt", "no trailing newline"],
  ["b.txt", "one trailing newline\n"],
  ["c.txt", "two trailing newlines\n\n"],
  ["d.txt", ""],
  ["e.txt", "\n"],
  ["f.txt", "\n\n\nstarts with blank lines"],
  ["g.txt", "crlf\r\nlines\r\n"],
  ["h.txt", `looks like // a marker but is not\n//${FS}/ unterminated\n//${FS}/ x /${FS}/ almost\n`],
  ["i.txt", "ends without newline after blank\n\nx"],
  ["dir/ü nicode ✓.md", "ünïcödé\n"],
];

describe("latx framing", () => {
  it("writes the marker line of DESIGN.md §11", () => {
    expect(markerLine("src/a.ts").toString("latin1")).toBe(`//${FS}/ src/a.ts /${FS}//\n`);
    expect(new RegExp(`^//${FS}/ (.+?) /${FS}//$`).exec(markerLine("src/a.ts").toString("utf8").trimEnd())?.[1]).toBe("src/a.ts");
  });

  it("reads back every file's bytes exactly, whatever its newlines, at any chunk size", async () => {
    const latx = latxOf(tricky);
    for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
      const entries = await readAll(latx, size);
      expect(entries[0]?.header).toBe(true);
      expect(entries.slice(1).map((e) => [e.path, e.content])).toEqual(tricky.map(([p, c]) => [p, Buffer.from(c).toString("latin1")]));
    }
  });

  it("refuses a file that does not start with a marker", async () => {
    await expect(readAll(Buffer.from("hello\n"))).rejects.toMatchObject({ code: "snapshot_invalid" });
    await expect(readAll(Buffer.alloc(0))).rejects.toBeInstanceOf(GromptError);
  });

  it("recognises only whole marker lines", () => {
    expect(parseMarkerLine(Buffer.from(`//${FS}/ a /${FS}//`))).toBe("a");
    expect(parseMarkerLine(Buffer.from(`//${FS}/   /${FS}//`))).toBe(" ");
    expect(parseMarkerLine(Buffer.from(`//${FS}/  /${FS}//`))).toBeUndefined();
    expect(parseMarkerLine(Buffer.from(`//${FS}/ a /${FS}// `))).toBeUndefined();
    expect(parseMarkerLine(Buffer.from(`// a //`))).toBeUndefined();
  });

  it("detects content that would break the framing", () => {
    expect(containsMarkerLine(Buffer.from(`x\n//${FS}/ a /${FS}//\ny`))).toBe(true);
    expect(containsMarkerLine(Buffer.from(`//${FS}/ a /${FS}//`))).toBe(true);
    expect(containsMarkerLine(Buffer.from(`x //${FS}/ a /${FS}//`))).toBe(false);
    expect(containsMarkerLine(Buffer.from(`plain ${FS} separator`))).toBe(false);
  });

  it("frames only paths without newlines, carriage returns or 0x1C", () => {
    expect(isFramablePath("a/b c.ts")).toBe(true);
    expect(isFramablePath("a\nb")).toBe(false);
    expect(isFramablePath("a\rb")).toBe(false);
    expect(isFramablePath(`a${FS}b`)).toBe(false);
  });

  it("keeps links and executables in the header, as JSON strings", () => {
    const header = formatHeader({
      snapshotId: "f".repeat(64),
      files: 2,
      bytes: 10,
      executables: ["bin/run", 'we"ird'],
      links: [{ path: "l -> x", target: "../t" }],
    }).toString("utf8");
    expect(header).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(parseHeader(header)).toEqual({ executables: ["bin/run", 'we"ird'], links: [{ path: "l -> x", target: "../t" }] });
  });
});
