import { GromptError } from "../../../core/domain/errors";

/** Position after the last job of a page, in the (created_at desc, id desc) order. */
export interface JobCursor {
  createdAt: string;
  id: string;
}

export const encodeJobCursor = (cursor: JobCursor): string =>
  Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), "utf8").toString("base64url");

export function decodeJobCursor(text: string): JobCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === "string")) {
      return { createdAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // reported below
  }
  throw new GromptError("invalid_input", `The page cursor "${text}" is not valid`, {
    hint: "Pass the nextCursor of a previous page unchanged, or leave the cursor out to start at the newest job.",
  });
}
