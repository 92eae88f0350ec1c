import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { JobKind } from "../../app/daemon/daemon-service";
import type { JobState, PromptPurpose } from "../../core/domain/job";
import type { ArtifactRecord } from "../../core/ports/store-port";
import { type createInFlightKeys, parseIdempotencyKey, requestFingerprint } from "../idempotency";
import type { RateLimitHook } from "../rate-limits";
import * as schemas from "../schemas";
import type { ServerDeps } from "../server-deps";

const problemResponses = { 400: schemas.problem, 401: schemas.problem, 404: schemas.problem, 409: schemas.problem, 422: schemas.problem, 429: schemas.problem } as const;

/** Job routes of DESIGN §5: create (craft, evolve), list, show, cancel. */
export function registerJobRoutes(app: FastifyInstance, deps: ServerDeps, context: { inFlight: ReturnType<typeof createInFlightKeys>; jobsLimit: RateLimitHook }): void {
  const create = (kind: JobKind) => async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions.url ?? kind;
    const key = parseIdempotencyKey(request.headers["idempotency-key"]);
    const submit = (idempotency?: { key: string; fingerprint: string }) => deps.daemon.submit(kind, request.body, { scope: deps.scope, idempotency });
    let submitted;
    if (key === undefined) submitted = await submit();
    else {
      const claim = { scope: deps.scope, key, fingerprint: requestFingerprint(route, request.body) };
      submitted = await context.inFlight.run(claim, () => submit({ key, fingerprint: claim.fingerprint }));
    }
    reply.code(202).header("location", `/v1/jobs/${submitted.job.id}`);
    if (submitted.replayed) reply.header("idempotent-replayed", "true");
    return submitted.job;
  };

  const idempotencyHeader = {
    type: "object",
    properties: { "idempotency-key": { type: "string", description: 'A unique key per request (IETF draft): a retry with the same key and body gets the first answer; quoted ("...") or bare.' } },
  } as const;

  app.post(
    "/v1/jobs/craft",
    {
      onRequest: context.jobsLimit,
      schema: {
        summary: "Create a craft job: rough ideas in, a structured prompt out",
        tags: ["jobs"],
        headers: idempotencyHeader,
        body: schemas.craftBody,
        response: { 202: schemas.job, ...problemResponses },
      },
    },
    create("craft"),
  );

  app.post(
    "/v1/jobs/evolve",
    {
      onRequest: context.jobsLimit,
      schema: {
        summary: "Create an evolve job: an instruction in, a validated patch out",
        tags: ["jobs"],
        headers: idempotencyHeader,
        body: schemas.evolveBody,
        response: { 202: schemas.job, 403: schemas.problem, ...problemResponses },
      },
    },
    create("evolve"),
  );

  app.get(
    "/v1/jobs",
    { schema: { summary: "List jobs, newest first", tags: ["jobs"], querystring: schemas.listQuery, response: { 200: schemas.jobPage, 400: schemas.problem, 401: schemas.problem } } },
    async (request) => {
      const query = request.query as { state?: JobState | JobState[]; purpose?: PromptPurpose | PromptPurpose[]; sessionId?: string; limit?: string; cursor?: string };
      return deps.jobs.list({
        states: listOf(query.state),
        purposes: listOf(query.purpose),
        sessionId: query.sessionId,
        limit: query.limit === undefined ? undefined : Number(query.limit),
        cursor: query.cursor,
      });
    },
  );

  app.get(
    "/v1/jobs/:id",
    {
      schema: {
        summary: "A job: state, usage, cost, result, artifacts, event count",
        tags: ["jobs"],
        params: schemas.jobIdParams,
        response: { 200: schemas.jobDetails, 401: schemas.problem, 404: schemas.problem },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { job, artifacts, eventCount } = await deps.jobs.show(id);
      return { ...job, artifacts: artifacts.map(artifactSummary), eventCount };
    },
  );

  app.post(
    "/v1/jobs/:id/cancel",
    {
      schema: {
        summary: "Cancel a queued job at once, or ask a running job's runner to stop it",
        tags: ["jobs"],
        params: schemas.jobIdParams,
        body: schemas.cancelBody,
        response: { 200: schemas.cancelResult, 401: schemas.problem, 404: schemas.problem, 409: schemas.problem },
      },
      // The body is optional: `curl -X POST .../cancel` cancels without a reason.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as { reason?: string };
      return deps.jobs.cancel(id, { reason: body.reason });
    },
  );
}

const listOf = <T>(value: T | T[] | undefined): T[] | undefined => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);

/** What clients see of an artifact: no storage location, and where to download it. */
export const artifactSummary = (artifact: ArtifactRecord) => ({
  name: artifact.name,
  kind: artifact.kind,
  sha256: artifact.sha256,
  bytes: artifact.bytes,
  contentType: artifact.contentType,
  createdAt: artifact.createdAt,
  url: `/v1/jobs/${encodeURIComponent(artifact.jobId)}/artifacts/${encodeURIComponent(artifact.name)}`,
});
