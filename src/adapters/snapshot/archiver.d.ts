/** The part of archiver@8 the zip writer test uses as its reference (the package ships no types). */
declare module "archiver" {
  import { Transform } from "node:stream";

  export interface ZipArchiveOptions {
    /** Store entries without compression. */
    store?: boolean;
    zlib?: { level?: number };
    forceLocalTime?: boolean;
    comment?: string;
  }

  export interface EntryData {
    name: string;
    date?: Date;
    mode?: number;
    type?: "file" | "symlink";
    linkname?: string;
    store?: boolean;
  }

  export class ZipArchive extends Transform {
    constructor(options?: ZipArchiveOptions);
    append(source: Buffer | string | NodeJS.ReadableStream, data: EntryData): this;
    finalize(): Promise<void>;
    abort(): this;
    pointer(): number;
  }
}
