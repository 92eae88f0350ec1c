import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import * as schemas from "../schemas";
import type { ServerDeps } from "../server-deps";
import { artifactSummary } from "./job-routes";

/** A job's artifacts: the list, and each one's bytes with its content type and sha256. */
export function registerArtifactRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get(
    "/v1/jobs/:id/artifacts",
    {
      schema: {
        summary: "A job's artifacts (.patch, .zip, .latx, report.json, crafted prompts)",
        tags: ["artifacts"],
        params: schemas.jobIdParams,
        response: { 200: { type: "object", required: ["artifacts"], properties: { artifacts: { type: "array", items: schemas.artifact } } }, 401: schemas.problem, 404: schemas.problem },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return { artifacts: (await deps.daemon.artifacts(id)).map(artifactSummary) };
    },
  );

  app.get(
    "/v1/jobs/:id/artifacts/:name",
    {
      schema: {
        summary: "Download one artifact",
        description: "The bytes with their content type; ETag and X-Content-SHA256 carry the sha256 (hex), Repr-Digest the RFC 9530 form.",
        tags: ["artifacts"],
        params: schemas.artifactParams,
        response: { 200: { description: "The artifact's bytes." }, 304: { description: "If-None-Match matched." }, 401: schemas.problem, 404: schemas.problem },
      },
    },
    async (request, reply) => {
      const { id, name } = request.params as { id: string; name: string };
      const { artifact, body } = await deps.daemon.openArtifact(id, name);
      const etag = `"${artifact.sha256}"`;
      reply
        .header("etag", etag)
        .header("x-content-sha256", artifact.sha256)
        .header("repr-digest", `sha-256=:${Buffer.from(artifact.sha256, "hex").toString("base64")}:`)
        .header("cache-control", "private, max-age=31536000, immutable");
      if (request.headers["if-none-match"]?.split(",").some((tag) => tag.trim() === etag)) return reply.code(304).send();
      const filename = artifact.name.replace(/["\\\r\n]/g, "_");
      return reply
        .type(artifact.contentType)
        .header("content-length", String(artifact.bytes))
        .header("content-disposition", `attachment; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(artifact.name)}`)
        .send(Readable.from(body));
    },
  );
}
