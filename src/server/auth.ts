import { hash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { GromptError } from "../core/domain/errors";

/** Routes anyone may call: liveness only. */
const publicRoutes = new Set(["/healthz"]);
/** The one route that also takes `?access_token=` (EventSource cannot send an Authorization header). */
const queryTokenRoutes = new Set(["/v1/jobs/:id/stream"]);

// The one-shot hash: half the time of createHash().update().digest() and no Hash object per request.
const digest = (value: string): Buffer => hash("sha256", value, "buffer");

/**
 * Bearer authentication for every route but /healthz (and CORS preflights, which browsers send
 * without credentials). Both sides are hashed first, so the comparison is constant-time whatever
 * the lengths.
 */
export function bearerAuth(token: string) {
  const expected = digest(token);
  const matches = (given: string): boolean => timingSafeEqual(digest(given), expected);
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const route = request.routeOptions.url;
    if (request.method === "OPTIONS" || (route !== undefined && publicRoutes.has(route))) return;
    const header = request.headers.authorization;
    const bearer = header === undefined ? undefined : /^Bearer[ \t]+(\S+)\s*$/i.exec(header)?.[1];
    const queryToken = route !== undefined && queryTokenRoutes.has(route) ? (request.query as { access_token?: unknown }).access_token : undefined;
    const given = bearer ?? (typeof queryToken === "string" ? queryToken : undefined);
    if (given === undefined) {
      throw new GromptError("unauthorized", header === undefined ? "This request needs a bearer token" : "The Authorization header is not a bearer token", {
        hint: "Send Authorization: Bearer <token>; the token is in $GROMPT_HOME/token (or GROMPT_TOKEN).",
      });
    }
    if (!matches(given)) {
      throw new GromptError("unauthorized", "The bearer token is wrong", { hint: "Use the token in $GROMPT_HOME/token (or GROMPT_TOKEN) of this daemon." });
    }
  };
}
