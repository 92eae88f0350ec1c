import { crc32 } from "node:zlib";
import { SyncFileSink } from "./sync-file-sink";

/**
 * The snapshot's zip, written directly: stored entries (deflate output differs between zlib
 * builds, and the zip must be byte-identical on every machine), dated 1980-01-01 00:00 UTC (the
 * zip epoch), modes normalised, so only paths and bytes decide the archive's bytes.
 *
 * The bytes are exactly those archiver@8 (`new ZipArchive({ store: true })`) writes for the same
 * entries — a test holds the two equal — without its streams: archiver pushes every header field
 * through a chain of Transform streams and checksums in JavaScript, which cost a snapshot of 87 MB
 * about 0.5 s of main-thread CPU; here a header is one small buffer and the CRC-32 is zlib's.
 */
export interface ZipWriter {
  addFile(path: string, content: Buffer, executable: boolean): Promise<void>;
  addLink(path: string, target: string): Promise<void>;
  /** Writes the central directory and closes the file. */
  finish(): Promise<void>;
  /** Stops writing after a failure (the caller removes the file). */
  abort(): Promise<void>;
}

/** 1980-01-01 00:00:00 as an MS-DOS date and time. */
const DOS_EPOCH = 0x00210000;
const VERSION_STORED = 10;
const VERSION_ZIP64 = 45;
/** Made by: Unix (3), spec version 4.5 — as archiver writes it. */
const MADE_BY = (3 << 8) | 45;
const UTF8_NAMES = 1 << 11;
const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
/** Unix type and permission bits in the high half, the MS-DOS archive bit in the low. */
const FILE_MODE = 0o100000;
const LINK_MODE = 0o120777;
const DOS_ARCHIVE = 0x20;

interface CentralEntry {
  name: Buffer;
  flags: number;
  crc: number;
  size: number;
  offset: number;
  attributes: number;
}

export async function createZipWriter(file: string): Promise<ZipWriter> {
  const out = new SyncFileSink(file);
  const entries: CentralEntry[] = [];
  let offset = 0;
  const put = (bytes: Uint8Array) => {
    out.put(bytes);
    offset += bytes.length;
  };
  const add = (path: string, content: Uint8Array, mode: number) => {
    const name = Buffer.from(path, "utf8");
    const flags = name.length !== path.length ? UTF8_NAMES : 0;
    const crc = crc32(content) >>> 0;
    const entry = { name, flags, crc, size: content.length, offset, attributes: ((mode << 16) | DOS_ARCHIVE) >>> 0 };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(VERSION_STORED, 4);
    header.writeUInt16LE(flags, 6);
    header.writeUInt16LE(0, 8); // stored
    header.writeUInt32LE(DOS_EPOCH, 10);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(content.length, 18);
    header.writeUInt32LE(content.length, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28); // no extra field
    put(header);
    put(name);
    put(content);
    entries.push(entry);
  };
  return {
    async addFile(path, content, executable) {
      add(path, content, FILE_MODE | (executable ? 0o755 : 0o644));
    },
    async addLink(path, target) {
      add(path, Buffer.from(target, "utf8"), LINK_MODE);
    },
    async finish() {
      const centralOffset = offset;
      for (const entry of entries) put(centralHeader(entry));
      const centralLength = offset - centralOffset;
      const zip64 = entries.length > MAX_16 || centralLength > MAX_32 || centralOffset > MAX_32;
      if (zip64) put(zip64End(entries.length, centralOffset, centralLength));
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(zip64 ? MAX_16 : entries.length, 8);
      end.writeUInt16LE(zip64 ? MAX_16 : entries.length, 10);
      end.writeUInt32LE(zip64 ? MAX_32 : centralLength, 12);
      end.writeUInt32LE(zip64 ? MAX_32 : centralOffset, 16);
      put(end);
      out.closeFile();
    },
    async abort() {
      out.destroy();
    },
  };
}

/** The central directory record of an entry; past 4 GB its offset moves to a zip64 extra field. */
function centralHeader(entry: CentralEntry): Buffer {
  const zip64 = entry.offset > MAX_32;
  const header = Buffer.alloc(46 + entry.name.length + (zip64 ? 28 : 0));
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  header.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_STORED, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(0, 10); // stored
  header.writeUInt32LE(DOS_EPOCH, 12);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(zip64 ? MAX_32 : entry.size, 20);
  header.writeUInt32LE(zip64 ? MAX_32 : entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(zip64 ? 28 : 0, 30);
  // comment length, disk number, internal attributes: 0
  header.writeUInt32LE(entry.attributes, 38);
  header.writeUInt32LE(zip64 ? MAX_32 : entry.offset, 42);
  entry.name.copy(header, 46);
  if (zip64) {
    const extra = 46 + entry.name.length;
    header.writeUInt16LE(0x0001, extra);
    header.writeUInt16LE(24, extra + 2);
    header.writeBigUInt64LE(BigInt(entry.size), extra + 4);
    header.writeBigUInt64LE(BigInt(entry.size), extra + 12);
    header.writeBigUInt64LE(BigInt(entry.offset), extra + 20);
  }
  return header;
}

/** The zip64 end of central directory record and its locator (more than 65,535 entries, or past 4 GB). */
function zip64End(count: number, centralOffset: number, centralLength: number): Buffer {
  const record = Buffer.alloc(56 + 20);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(VERSION_ZIP64, 12);
  record.writeUInt16LE(VERSION_ZIP64, 14);
  // disk numbers: 0
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(centralLength), 40);
  record.writeBigUInt64LE(BigInt(centralOffset), 48);
  record.writeUInt32LE(0x07064b50, 56);
  // disk holding the record: 0
  record.writeBigUInt64LE(BigInt(centralOffset + centralLength), 64);
  record.writeUInt32LE(1, 72);
  return record;
}
