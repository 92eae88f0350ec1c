import { craftLimits, craftPurposes } from "../app/craft/craft-inputs";
import { jobStates, promptPurposes } from "../core/domain/job";

/**
 * JSON schemas of every body, param, query and response (DESIGN §5). Bodies reject unknown fields
 * (`additionalProperties: false`); responses list their fields for the OpenAPI document and let
 * later optional fields through.
 */
const text = (maxLength: number) => ({ type: "string", minLength: 1, maxLength }) as const;
const sessionId = { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$", description: "Groups jobs of one conversation; a new one per job when absent." } as const;
const providerSpec = { ...text(200), description: 'A registered provider, optionally with a model: "openai", "anthropic:claude-haiku-4-5".' } as const;
const model = { ...text(200), description: "Overrides the provider's default model." } as const;
const paths = (description: string) => ({ type: "array", maxItems: 200, items: text(500), description }) as const;

export const craftBody = {
  type: "object",
  additionalProperties: false,
  required: ["ideas"],
  properties: {
    ideas: { type: "array", minItems: 1, maxItems: 50, items: text(4_000), description: "Rough ideas to turn into a structured prompt." },
    purpose: { type: "string", enum: [...craftPurposes], description: "What the crafted prompt is for (default general)." },
    lang: { ...text(40), description: 'Language of the prompt: a tag ("pt-BR") or a name ("Portuguese").' },
    maxTokens: { type: "integer", minimum: craftLimits.minTokens, maximum: craftLimits.maxTokens, description: "Length limit of the crafted prompt." },
    provider: providerSpec,
    model,
    sessionId,
  },
} as const;

export const evolveBody = {
  type: "object",
  additionalProperties: false,
  required: ["instruction", "cwd"],
  properties: {
    instruction: { ...text(20_000), description: "What to change in the repository." },
    cwd: { ...text(4_096), description: "Absolute path of the repository on the daemon's machine, inside a directory it serves (--root)." },
    include: paths("Glob patterns of files to consider (default: every tracked file)."),
    exclude: paths("Glob patterns of files to leave out."),
    provider: providerSpec,
    model,
    prompt: { ...text(200), description: "Registry prompt id (default evolve.prompt)." },
    checks: { type: "array", maxItems: 20, items: text(100), description: "Names of the project's checks to run (configured in .grompt/config.yaml or detected); default: all of them." },
    validate: { type: "boolean", description: "false: apply the patch in the temporary worktree without running any check." },
    maxRounds: { type: "integer", minimum: 0, maximum: 10, description: "Repair rounds after failed checks (default evolve.maxRounds)." },
    sessionId,
  },
} as const;

export const cancelBody = {
  type: "object",
  additionalProperties: false,
  properties: { reason: { ...text(500), description: "Why; recorded in the job's events." } },
} as const;

export const providerTestBody = {
  type: "object",
  additionalProperties: false,
  required: ["provider"],
  properties: { provider: providerSpec, model },
} as const;

export const jobIdParams = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: { type: "string", pattern: "^[0-9A-Za-z_-]{1,64}$" } },
} as const;

export const artifactParams = {
  type: "object",
  additionalProperties: false,
  required: ["id", "name"],
  properties: { id: jobIdParams.properties.id, name: { type: "string", pattern: "^[^/\\\\\\u0000]{1,255}$" } },
} as const;

const oneOrMany = (values: readonly string[]) => ({ anyOf: [{ type: "string", enum: [...values] }, { type: "array", maxItems: values.length, items: { type: "string", enum: [...values] } }] });

export const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    state: { ...oneOrMany(jobStates), description: "Only jobs in this state (repeat the parameter for several)." },
    purpose: { ...oneOrMany(promptPurposes), description: "Only jobs of this purpose (repeat for several)." },
    sessionId,
    limit: { type: "string", pattern: "^(?:[1-9]\\d{0,1}|[1-4]\\d{2}|500)$", description: "Page size, 1 to 500 (default 50)." },
    cursor: { ...text(500), description: "The nextCursor of the previous page." },
  },
} as const;

export const streamQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    after: { type: "string", pattern: "^\\d{1,15}$", description: "Start after this event seq (what Last-Event-ID says, for clients that cannot set it)." },
    access_token: { type: "string", description: "The bearer token, for EventSource clients that cannot send headers." },
  },
} as const;

export const usage = {
  type: "object",
  properties: { prompt: { type: "integer" }, completion: { type: "integer" }, total: { type: "integer" }, cachedPrompt: { type: "integer" } },
} as const;

export const job = {
  type: "object",
  additionalProperties: true,
  required: ["id", "sessionId", "state", "provider", "model", "promptPurpose", "createdAt", "updatedAt"],
  properties: {
    id: { type: "string" },
    sessionId: { type: "string" },
    state: { type: "string", enum: [...jobStates] },
    provider: { type: "string", enum: ["openai", "anthropic", "gemini"] },
    model: { type: "string" },
    promptPurpose: { type: "string", enum: [...promptPurposes] },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    input: { type: "object", additionalProperties: true },
    error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, hint: { type: "string" } } },
    usage,
    costMicros: { type: ["integer", "null"], description: "Summed cost in micro-dollars; null when a call had no known price." },
    result: { type: "object", additionalProperties: true },
    cancelRequested: { type: "boolean" },
    attempts: { type: "integer" },
    finishedAt: { type: "string", format: "date-time" },
  },
} as const;

export const artifact = {
  type: "object",
  required: ["name", "kind", "sha256", "bytes", "contentType", "createdAt", "url"],
  properties: {
    name: { type: "string" },
    kind: { type: "string" },
    sha256: { type: "string" },
    bytes: { type: "integer" },
    contentType: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    url: { type: "string", description: "Where to download it." },
  },
} as const;

export const jobDetails = {
  ...job,
  properties: { ...job.properties, artifacts: { type: "array", items: artifact }, eventCount: { type: "integer" } },
} as const;

export const jobPage = {
  type: "object",
  required: ["jobs"],
  properties: { jobs: { type: "array", items: job }, nextCursor: { type: "string" } },
} as const;

export const cancelResult = {
  type: "object",
  required: ["job", "outcome"],
  properties: { job, outcome: { type: "string", enum: ["canceled", "requested"], description: "canceled: ended now; requested: its runner stops it." } },
} as const;

export const problem = {
  type: "object",
  description: "RFC 9457 problem details with grompt's error code.",
  additionalProperties: true,
  required: ["type", "title", "status", "code", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    code: { type: "string", description: "A code from docs/errors.md." },
    detail: { type: "string" },
    hint: { type: "string" },
    instance: { type: "string" },
    requestId: { type: "string" },
    limit: { type: "string", description: "The limit that was hit (server.jobsPerMinute, server.tokensPerMinute, server.maxQueuedJobs, limits.dailyCostUsd)." },
    retryAfterSeconds: { type: "integer" },
    errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
  },
} as const;
