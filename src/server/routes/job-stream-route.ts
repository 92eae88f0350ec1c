import type { FastifyInstance } from "fastify";
import { GromptError, toGromptError } from "../../core/domain/errors";
import { isTerminal } from "../../core/domain/job";
import { endSpan, recordResponse } from "../observe-requests";
import { toProblem } from "../problem";
import * as schemas from "../schemas";
import type { ServerDeps } from "../server-deps";
import type { OpenStreams } from "../sse/open-streams";
import { createSseWriter } from "../sse/sse-writer";

/**
 * `GET /v1/jobs/:id/stream`: the job's events as SSE — `id:` is the event's seq, `event:` its type,
 * `data:` the stored record as JSON. `Last-Event-ID` (or `?after=`) replays what was missed, then the
 * stream follows live (in-process signals, a store poll for other processes) and ends after the
 * job's final event. A finished job with nothing left to send answers 204, which tells EventSource
 * to stop reconnecting.
 */
export function registerJobStreamRoute(app: FastifyInstance, deps: ServerDeps, streams: OpenStreams): void {
  const heartbeatMs = deps.sse?.heartbeatMs ?? 15_000;
  const retryMs = deps.sse?.retryMs ?? 2_000;

  app.get(
    "/v1/jobs/:id/stream",
    {
      schema: {
        summary: "Follow a job's events (Server-Sent Events)",
        description: "Replays the events after Last-Event-ID (or ?after=), then follows live; ends after job-completed or job-failed.",
        tags: ["jobs"],
        params: schemas.jobIdParams,
        querystring: schemas.streamQuery,
        headers: { type: "object", properties: { "last-event-id": { type: "string", description: "The seq of the last event received." } } },
        response: {
          200: { description: "text/event-stream: events `id: <seq>`, `event: <type>`, `data: {jobId, seq, ts, event}`; `server-shutdown` when the daemon stops." },
          204: { description: "The job ended and every event was already received." },
          400: schemas.problem,
          401: schemas.problem,
          404: schemas.problem,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const afterSeq = parseSeq(request.headers["last-event-id"], "Last-Event-ID") ?? parseSeq((request.query as { after?: string }).after, "after") ?? 0;
      const job = await deps.jobs.get(id);
      if (isTerminal(job.state) && (await deps.jobs.events(id, { afterSeq, limit: 1 })).length === 0) return reply.code(204).send();

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      recordResponse(request, 200, deps);
      const writer = createSseWriter(res, () => deps.metering.streamBackpressure());
      const controller = new AbortController();
      let finalWritten = false;
      const forget = streams.add({
        async close(reason) {
          if (writer.closed || finalWritten) return;
          finalWritten = true;
          controller.abort();
          await writer.event({ event: "server-shutdown", data: JSON.stringify({ reason, retryMs }) });
          writer.end();
        },
      });
      res.once("close", () => controller.abort());
      const heartbeat = setInterval(() => writer.comment("heartbeat"), heartbeatMs);
      heartbeat.unref();
      try {
        await writer.raw(`retry: ${retryMs}\n\n`);
        for await (const record of deps.jobs.follow(id, { afterSeq, signal: controller.signal, pollMs: deps.sse?.pollMs })) {
          if (writer.closed || controller.signal.aborted) break;
          await writer.event({ id: record.seq, event: record.event.type, data: JSON.stringify(record) });
        }
      } catch (error) {
        // Headers are gone: the failure travels in the stream, as a problem.
        if (!writer.closed && !controller.signal.aborted) {
          const failure = toGromptError(error);
          deps.logger.error({ request_id: request.id, job_id: id, err: error }, "job stream failed");
          await writer.event({ event: "error", data: JSON.stringify(toProblem(failure, { requestId: request.id })) });
        }
      } finally {
        clearInterval(heartbeat);
        forget();
        controller.abort();
        if (!finalWritten) writer.end();
        endSpan(request, 200);
      }
    },
  );
}

function parseSeq(value: string | string[] | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,15}$/.test(text.trim())) {
    throw new GromptError("invalid_input", `${name} must be the seq of an event (a whole number), not ${JSON.stringify(text)}`, { details: { field: name } });
  }
  return Number(text.trim());
}
