import { join } from "node:path";
import type { BlobPort } from "../../core/ports/blob-port";
import type { SnapshotPort } from "../../core/ports/snapshot-port";
import type { StorePort } from "../../core/ports/store-port";
import type { GromptConfig } from "../config/config-schema";
import { storeJobArtifact } from "../jobs/store-job-artifact";
import { streamJobCall } from "../jobs/stream-job-call";
import type { PromptRegistry } from "../prompts/load-prompt-registry";
import { checkPromptAnswer, preparePromptCall } from "../prompts/prompt-call";
import type { ProviderService } from "../providers/provider-service";
import type { JobHandler, JobTotals } from "../runner/job-handler";
import { createCheckSession } from "./checks/check-session";
import { patchArtifactName, reportArtifactName } from "./apply-job-patch";
import { readEvolveJobInput } from "./evolve-job-input";
import { type EvolveReport, type Validation, describeContext, describePatch, describeSnapshot, resultSummary } from "./evolve-report";
import { evolveChecks, evolveSettings, loadProjectConfig, requireProjectDir } from "./evolve-settings";
import { prepareEvolvePrompt } from "./prepare-evolve-prompt";
import { type RoundsOutcome, runEvolveRounds } from "./run-evolve-rounds";
import { snapshotPhase } from "./snapshot-phase";
import { createWorktree } from "./worktree/create-worktree";
import { diffFromBase } from "./worktree/diff-from-base";
import { restoreBase } from "./worktree/restore-base";

/** The repair rounds' prompt (a project or user file with this id shadows it). */
export const repairPromptId = "evolve-repair";

export interface EvolveJobHandlerDeps {
  config: Pick<GromptConfig, "flags">;
  prompts: () => PromptRegistry;
  providers: Pick<ProviderService, "resolve">;
  blobs: BlobPort;
  store: Pick<StorePort, "recordArtifact" | "recordSnapshot">;
  snapshots: SnapshotPort;
  /** `$GROMPT_HOME`: worktrees live in `worktrees/`, snapshot scratch space in `tmp/`. */
  home: string;
  /** Reads the project's own configuration (checks, evolve, snapshot keys); default: the layered config of its directory. */
  projectConfig?: (cwd: string) => GromptConfig;
  /** Chunk batching of streamed answers (tests shorten it). */
  batching?: { intervalMs?: number; maxChars?: number };
}

/**
 * queued → snapshotting → prompting → diffing → done | error: snapshot the project, render the
 * first prompt with it, then in a temporary worktree ask → apply → check → repair (see
 * runEvolveRounds) while the baseline checks run on the untouched tree. Stores `changes.patch`
 * (re-emitted by git; flagged unvalidated when its checks failed) and `report.json`, removes the
 * worktree whatever happens. Safe to run again on resume: snapshots are deterministic, answers come
 * from the response cache, artifacts are content-addressed and replaced by name.
 */
export function createEvolveJobHandler(deps: EvolveJobHandlerDeps): JobHandler {
  return async (ctx) => {
    const started = performance.now();
    const timings: Record<string, number> = {};
    const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));
    const input = readEvolveJobInput(ctx.job);
    const cwd = requireProjectDir(input.cwd);
    const project = (deps.projectConfig ?? loadProjectConfig)(cwd);
    const settings = evolveSettings(input, project);
    const registry = deps.prompts();
    const firstPrompt = registry.get(settings.promptId).prompt;
    const repairPrompt = registry.get(repairPromptId).prompt;
    const provider = await deps.providers.resolve({ provider: input.provider, model: ctx.job.model, cassette: input.cassette, record: input.record });

    await ctx.advance("snapshotting");
    let since = performance.now();
    const stored = await snapshotPhase(ctx, { cwd, settings: settings.snapshot }, deps);
    lap("snapshotMs", since);

    await ctx.advance("prompting");
    since = performance.now();
    const checks = await evolveChecks(cwd, project, { names: input.checks, validate: settings.validate });
    const checkList = checks.selected.length > 0 ? checks.selected.map((check) => check.display).join(", ") : settings.validate ? "none found" : "none (validation is off)";
    await ctx.emit({ type: "job-progressed", step: "checks", message: checkList, data: { selected: checks.selected.map((check) => check.name), unavailable: checks.unavailable } });
    const prompt = await prepareEvolvePrompt(
      { instruction: input.instruction, prompt: firstPrompt, checks: checks.selected.map((check) => check.display), snapshot: stored.snapshot, openLatx: () => deps.blobs.open(stored.refs.latx.sha256), jsonMode: deps.config.flags.jsonMode },
      deps,
    );
    const { plan } = prompt.context;
    await ctx.emit({ type: "job-progressed", step: "context", message: `${plan.files.length} of ${stored.snapshot.manifest.totals.files} files in full, ${prompt.context.tokens} tokens`, data: describeContext(prompt.context) });
    lap("promptMs", since);

    await ctx.advance("diffing");
    since = performance.now();
    const worktree = await createWorktree({ cwd, root: join(deps.home, "worktrees"), label: ctx.job.id, skip: [deps.home], signal: ctx.signal });
    const overlaid = worktree.overlaid === 0 ? "" : ` plus ${worktree.overlaid} uncommitted change${worktree.overlaid === 1 ? "" : "s"}`;
    await ctx.emit({ type: "job-progressed", step: "worktree", message: `${worktree.kind === "git" ? `git worktree at HEAD${overlaid}` : "plain copy"}${worktree.links.length > 0 ? `, ${worktree.links.join(", ")} linked` : ""}`, data: { kind: worktree.kind, overlaid: worktree.overlaid, links: worktree.links } });
    // Checks stop when the job does, and when the rounds end before a baseline still running finishes.
    const checksControl = new AbortController();
    const stopChecks = () => checksControl.abort(ctx.signal.reason);
    ctx.signal.addEventListener("abort", stopChecks, { once: true });
    const session = checks.selected.length === 0 ? undefined : createCheckSession({ checks: checks.selected, cwd: worktree.projectDir, signal: checksControl.signal, emit: (event) => ctx.emit(event) });
    const baseline = session?.baseline();
    baseline?.catch(() => undefined);
    let totals: JobTotals = {};
    let outcome: RoundsOutcome;
    try {
      outcome = await runEvolveRounds({
        projectDir: worktree.projectDir,
        maxRounds: settings.maxRounds,
        jobId: ctx.job.id,
        signal: ctx.signal,
        checks: session,
        emit: (event) => ctx.emit(event),
        diff: (paths) => diffFromBase(worktree, paths, ctx.signal),
        restore: (applied) => restoreBase(applied.root, applied.changes),
        async ask(request) {
          const used = request.repair === undefined ? firstPrompt : repairPrompt;
          const prepared =
            request.repair === undefined
              ? prompt.prepared
              : preparePromptCall(repairPrompt, { instruction: input.instruction, context: prompt.vars.context, checks: prompt.vars.checks, failed_patch: request.repair.failedPatch, failure: request.repair.failure, stage: request.repair.stage }, { jsonMode: deps.config.flags.jsonMode });
          const call = await streamJobCall(ctx, { provider, input: prepared.input, options: prepared.options, purpose: used.id, totals, noCache: input.noCache, scope: input.scope, batching: deps.batching });
          totals = call.totals;
          return { text: call.text, prompt: used.id, check: (answer) => checkPromptAnswer(used, answer) };
        },
      });
    } finally {
      ctx.signal.removeEventListener("abort", stopChecks);
      checksControl.abort(new Error("the evolve rounds ended"));
      await baseline?.catch(() => undefined);
      await worktree.remove();
    }
    lap("diffingMs", since);

    const validation: Validation = checks.selected.length === 0 ? (settings.validate ? "no-checks" : "skipped") : outcome.ok ? "passed" : "failed";
    const validated = outcome.ok && validation === "passed";
    timings.checksMs = session?.rounds().flatMap((round) => round.checks).reduce((sum, check) => sum + check.durationMs, 0) ?? 0;
    timings.totalMs = Math.round(performance.now() - started);
    const report: EvolveReport = {
      version: 1,
      job: { id: ctx.job.id, instruction: input.instruction, cwd, provider: ctx.job.provider, model: ctx.job.model, prompt: { id: firstPrompt.id, version: firstPrompt.version } },
      outcome: { validated, validation },
      snapshot: describeSnapshot(stored.snapshot),
      context: describeContext(prompt.context),
      worktree: { kind: worktree.kind, overlaid: worktree.overlaid, links: worktree.links },
      checks: { selected: checks.selected.map((check) => ({ name: check.name, command: check.display, source: check.source })), unavailable: checks.unavailable, rounds: session?.rounds() ?? [] },
      rounds: outcome.rounds,
      usage: totals.usage,
      costMicros: totals.costMicros,
      timings,
    };
    if (!outcome.ok) report.outcome.error = outcome.error.toFailure();
    ctx.logger.info({ validation, rounds: outcome.rounds.map((round) => round.outcome), files: outcome.patch?.touched.length ?? 0, ...timings }, "evolve rounds finished");
    if (outcome.patch !== undefined && outcome.patch.text !== "") {
      report.patch = describePatch(outcome.patch, validated, worktree);
      await storeJobArtifact(ctx, { name: patchArtifactName, kind: validated || outcome.ok ? "patch" : "patch-unvalidated", contentType: "text/x-diff; charset=utf-8", data: outcome.patch.text }, deps);
    }
    await storeJobArtifact(ctx, { name: reportArtifactName, kind: "evolve-report", contentType: "application/json", data: `${JSON.stringify(report, null, 2)}\n` }, deps);
    if (!outcome.ok) throw outcome.error;
    return { result: resultSummary(report), usage: totals.usage, costMicros: totals.costMicros };
  };
}
