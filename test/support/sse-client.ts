import { type ClientRequest, type IncomingMessage, request } from "node:http";

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  /** A comment line (": heartbeat"). */
  comment?: string;
}

export interface SseConnection {
  status: number;
  headers: IncomingMessage["headers"];
  /** Frames received so far, in order. */
  frames: SseFrame[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves once `count` frames matching `match` arrived. */
  waitFor(match: (frame: SseFrame) => boolean, count?: number, timeoutMs?: number): Promise<SseFrame[]>;
  /** Drops the connection (a client that went away). */
  drop(): void;
  response: IncomingMessage;
  request: ClientRequest;
}

/** A minimal EventSource over node:http: headers of our choosing, frames parsed as they arrive. */
export function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      const frames: SseFrame[] = [];
      const waiters: (() => void)[] = [];
      let buffer = "";
      let current: SseFrame = {};
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line === "") {
            if (Object.keys(current).length > 0) frames.push(current);
            current = {};
            for (const wake of waiters.splice(0)) wake();
            continue;
          }
          if (line.startsWith(":")) current.comment = line.slice(1).trim();
          else {
            const colon = line.indexOf(":");
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") current.id = value;
            else if (field === "event") current.event = value;
            else if (field === "data") current.data = current.data === undefined ? value : `${current.data}\n${value}`;
            else if (field === "retry") current.retry = Number(value);
          }
        }
      });
      const ended = new Promise<void>((done) => {
        res.on("end", () => done());
        res.on("close", () => done());
        res.on("error", () => done());
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        ended,
        response: res,
        request: req,
        drop: () => req.destroy(),
        waitFor(match, count = 1, timeoutMs = 10_000) {
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(`timed out waiting for ${count} frames; got ${JSON.stringify(frames)}`)), timeoutMs);
            const check = () => {
              const matched = frames.filter(match);
              if (matched.length >= count) {
                clearTimeout(timer);
                done(matched);
              } else waiters.push(check);
            };
            check();
          });
        },
      });
    });
    req.on("error", reject);
    req.end();
  });
}
