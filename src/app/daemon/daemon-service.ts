import { GromptError } from "../../core/domain/errors";
import type { Job } from "../../core/domain/job";
import type { BlobPort } from "../../core/ports/blob-port";
import type { ArtifactRecord, CreateJobOutcome, StorePort } from "../../core/ports/store-port";
import type { GromptConfig } from "../config/config-schema";
import { type CraftJobRequest, createCraftJob } from "../craft/create-craft-job";
import type { CreateJobRequest } from "../jobs/create-job";
import type { JobUseCases } from "../jobs/job-use-cases";
import type { PromptRegistry } from "../prompts/load-prompt-registry";
import { type ProviderCheck, checkProvider } from "../providers/check-providers";
import type { Price } from "../providers/price-book";
import type { ProviderRequest, ProviderService, ResolvedProvider } from "../providers/provider-service";
import { quotaError, startOfUtcDay, tokensError } from "../providers/usage-reservation";
import { type EvolveJobBody, createServedEvolveJob } from "./evolve-job-request";
import type { FloodGauge } from "./flood-gauge";
import { createQueueAdmission } from "./queue-admission";

export type JobKind = "craft" | "evolve";

/** A `POST /v1/jobs/craft` body (DESIGN §5), already checked against its JSON schema: no cassettes or files over HTTP. */
export type CraftJobBody = Pick<CraftJobRequest, "ideas" | "purpose" | "lang" | "maxTokens" | "provider" | "model" | "sessionId">;

export interface SubmitRequest {
  /** Who asks: the token's scope (idempotency keys and the usage ledger are per scope). */
  scope: string;
  /** An Idempotency-Key with the fingerprint of the request it came with. */
  idempotency?: { key: string; fingerprint: string };
}

export interface SubmittedJob {
  /** The job as it was created (a replay gets the same body as the first answer). */
  job: Job;
  replayed: boolean;
}

export interface ProviderSummary {
  name: string;
  configured: boolean;
  reason: string;
  defaultModel?: string;
  /** Without credentials, never a key. */
  baseUrl?: string;
  /** Priced models of this provider (shipped table plus `prices` overrides), USD per 1M tokens. */
  models: { model: string; price: Price }[];
}

/** What `grompt serve` does beyond the job use cases the CLI shares with it. */
export interface DaemonService {
  /** Creates a job — or replays the one an Idempotency-Key already created — within the usage limits. */
  submit(kind: JobKind, body: unknown, request: SubmitRequest): Promise<SubmittedJob>;
  /** True when this scope already used this Idempotency-Key (unexpired): its retries are replays, not new work. */
  knowsKey(scope: string, key: string): Promise<boolean>;
  /** `quota_exceeded` / `rate_limit_exceeded` (with `retryAfterMs`) when a scope may not start provider work now. */
  checkLimits(scope: string): Promise<void>;
  /** Every provider: configured or not and why, models and prices — no secrets. */
  listProviders(): { providers: ProviderSummary[]; defaultProvider: string; pricesAsOf: string };
  /** One tiny real call; a spent quota or token budget throws instead of reporting a failed check. */
  testProvider(spec: { provider: string; model?: string }, scope: string): Promise<ProviderCheck>;
  /** A job's artifacts (`not_found` for an unknown job). */
  artifacts(jobId: string): Promise<ArtifactRecord[]>;
  /** One artifact and its bytes (`not_found` for an unknown job, name or missing blob). */
  openArtifact(jobId: string, name: string): Promise<{ artifact: ArtifactRecord; body: AsyncIterable<Uint8Array> }>;
  /** Drops idempotency keys past their expiry; returns how many. */
  expireIdempotencyKeys(): Promise<number>;
}

export interface DaemonServiceDeps {
  config: GromptConfig;
  jobs: JobUseCases;
  store: StorePort;
  providers: ProviderService;
  prompts: () => PromptRegistry;
  blobs: Pick<BlobPort, "open" | "has">;
  /** Real paths of the directories evolve jobs may work in (`--root`). */
  roots: readonly string[];
  clock?: () => Date;
  /** Told of every submission (the runner yields to a flood of them). */
  submissions?: Pick<FloodGauge, "note">;
}

export function createDaemonService(deps: DaemonServiceDeps): DaemonService {
  const { config, jobs, store } = deps;
  const now = () => deps.clock?.() ?? new Date();
  const ttlMs = config.server.idempotencyTtlHours * 3_600_000;
  // Without a count from the store (another StorePort), nothing bounds the backlog here.
  const { countQueuedJobs } = store;
  const admission = countQueuedJobs === undefined ? undefined : createQueueAdmission({ countQueued: () => countQueuedJobs(), max: config.server.maxQueuedJobs });
  const dailyCostMicros = config.limits.dailyCostUsd === undefined ? undefined : Math.round(config.limits.dailyCostUsd * 1_000_000);

  /** The job as the `job-created` event recorded it: what the first answer carried. */
  const asCreated = async (jobId: string): Promise<Job> => {
    const [first] = await jobs.events(jobId, { limit: 1 });
    return first?.event.type === "job-created" ? first.event.job : jobs.get(jobId);
  };

  const checkLimits = async (scope: string): Promise<void> => {
    if (store.reserveUsage === undefined) return;
    const at = now();
    const verdict = await store.reserveUsage({
      now: at.toISOString(),
      ...(dailyCostMicros === undefined ? {} : { cost: { since: startOfUtcDay(at).toISOString(), maxCostMicros: dailyCostMicros } }),
      tokens: { scope, windowMs: 60_000, maxTokens: config.server.tokensPerMinute },
    });
    if (verdict.ok) return;
    throw verdict.limit === "cost" ? quotaError(verdict, at) : tokensError(verdict, 0, true);
  };

  // Submissions read in the same turn of the event loop share one limits check per scope: nothing
  // they do writes to the usage ledger, so each would read the same sums. Fifty requests a turn
  // under load make fifty identical queries otherwise.
  const turnChecks = new Map<string, Promise<void>>();
  const checkLimitsThisTurn = (scope: string): Promise<void> => {
    let check = turnChecks.get(scope);
    if (check === undefined) {
      if (turnChecks.size === 0) setImmediate(() => turnChecks.clear());
      check = checkLimits(scope);
      turnChecks.set(scope, check);
    }
    return check;
  };

  const artifacts = async (jobId: string): Promise<ArtifactRecord[]> => {
    await jobs.get(jobId);
    return store.listArtifacts(jobId);
  };

  // Which vendor and model a provider spec names cannot change while the daemon runs: resolving it
  // (an SDK client per request) once per spec keeps job creation cheap. Failures are not kept.
  const identities = new Map<string, Promise<ResolvedProvider>>();
  const providers = {
    resolve(request: ProviderRequest = {}): Promise<ResolvedProvider> {
      const key = `${request.provider ?? ""}\n${request.model ?? ""}`;
      let identity = identities.get(key);
      if (identity === undefined) {
        // Models are named by clients: keep the memo bounded.
        if (identities.size >= 100) identities.clear();
        identity = deps.providers.resolve({ provider: request.provider, model: request.model });
        identities.set(key, identity);
        identity.catch(() => identities.delete(key));
      }
      return identity;
    },
  };

  const create = (kind: JobKind, body: unknown, scope: string, idempotency: CreateJobRequest["idempotency"]): Promise<CreateJobOutcome> =>
    kind === "craft"
      ? createCraftJob({ ...(body as CraftJobBody), scope, idempotency }, { jobs, providers })
      : createServedEvolveJob(body as EvolveJobBody, { scope, idempotency, roots: deps.roots }, { jobs, providers, prompts: deps.prompts });

  return {
    async submit(kind, body, request) {
      deps.submissions?.note();
      const claim = request.idempotency;
      if (claim !== undefined && store.findIdempotencyKey !== undefined) {
        const stored = await store.findIdempotencyKey(request.scope, claim.key);
        if (stored !== undefined && stored.expiresAt > now().toISOString()) {
          if (stored.fingerprint !== claim.fingerprint) throw mismatch(claim.key, stored.jobId);
          return { job: await asCreated(stored.jobId), replayed: true };
        }
      }
      await admission?.admit();
      await checkLimitsThisTurn(request.scope);
      const outcome = await create(kind, body, request.scope, claim === undefined ? undefined : { scope: request.scope, ...claim, ttlMs });
      if (outcome.created) admission?.created();
      // Another process created it between the lookup and the commit: that one is the answer.
      return outcome.created ? { job: outcome.job, replayed: false } : { job: await asCreated(outcome.job.id), replayed: true };
    },
    checkLimits,
    async knowsKey(scope, key) {
      const stored = await store.findIdempotencyKey?.(scope, key);
      return stored !== undefined && stored.expiresAt > now().toISOString();
    },
    listProviders() {
      const models = deps.providers.prices.entries();
      return {
        defaultProvider: config.defaults.provider,
        pricesAsOf: deps.providers.prices.asOf,
        providers: deps.providers.list().map((listing) => {
          const summary: ProviderSummary = {
            name: listing.name,
            configured: listing.configured,
            reason: listing.reason,
            models: models.filter(([key]) => key.startsWith(`${listing.name}:`)).map(([key, price]) => ({ model: key.slice(listing.name.length + 1), price })),
          };
          if (listing.defaultModel !== undefined) summary.defaultModel = listing.defaultModel;
          if (listing.baseUrl !== undefined) summary.baseUrl = withoutCredentials(listing.baseUrl);
          return summary;
        }),
      };
    },
    async testProvider(spec, scope) {
      await checkLimits(scope);
      const check = await checkProvider(deps.providers, { ...spec, scope });
      if (!check.ok && (check.error.code === "quota_exceeded" || check.error.code === "rate_limit_exceeded")) throw check.error;
      return check;
    },
    artifacts,
    async openArtifact(jobId, name) {
      const artifact = (await artifacts(jobId)).find((candidate) => candidate.name === name);
      if (artifact === undefined) {
        throw new GromptError("not_found", `Job ${jobId} has no artifact named ${JSON.stringify(name)}`, { hint: `List them with GET /v1/jobs/${jobId}/artifacts.` });
      }
      if (!(await deps.blobs.has(artifact.sha256))) {
        throw new GromptError("not_found", `The content of ${name} (sha256 ${artifact.sha256}) is missing from the artifact store`, {
          hint: "It was deleted from $GROMPT_HOME/artifacts; run the job again to produce it.",
        });
      }
      return { artifact, body: deps.blobs.open(artifact.sha256) };
    },
    expireIdempotencyKeys: () => store.deleteExpiredIdempotencyKeys(now().toISOString()),
  };
}

function mismatch(key: string, jobId: string): GromptError {
  return new GromptError("idempotency_mismatch", `The Idempotency-Key "${key}" was already used with another request body`, {
    hint: "Use a new Idempotency-Key for a different request, or resend the original body.",
    details: { jobId },
  });
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === "" && parsed.password === "") return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url;
  }
}
