import type { DaemonService } from "../app/daemon/daemon-service";
import type { JobUseCases } from "../app/jobs/job-use-cases";
import type { LoggerPort } from "../core/ports/logger-port";
import type { MeteringPort, MetricsExporter } from "../core/ports/metering-port";

/** Everything the HTTP edge needs, passed in (STYLE §3): `buildServer(deps)` never opens anything itself. */
export interface ServerDeps {
  /** The bearer token every route but /healthz requires. */
  token: string;
  /** Who the token is, in idempotency keys and the usage ledger (a hash of the token). */
  scope: string;
  jobs: JobUseCases;
  daemon: DaemonService;
  metering: MeteringPort;
  /** Serves GET /metrics; absent, the route answers 404. */
  metrics?: MetricsExporter;
  logger: LoggerPort;
  limits: {
    /** Jobs (and provider tests) a token may start per minute (`server.jobsPerMinute`). */
    jobsPerMinute: number;
  };
  /** Origins allowed by CORS; none means no CORS headers at all. */
  corsOrigins: readonly string[];
  sse?: {
    /** Comment heartbeat interval (default 15 s). */
    heartbeatMs?: number;
    /** The `retry:` hint sent to clients (default 2 s). */
    retryMs?: number;
    /** How often a stream looks for events written by other processes (default 250 ms). */
    pollMs?: number;
  };
  /** Reported by /healthz and the OpenAPI document. */
  version: string;
  /** Extra facts for /healthz (runner state). */
  health?: () => Record<string, unknown>;
}
