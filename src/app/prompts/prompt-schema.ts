import * as z from "zod";
import type { PromptPurpose } from "../../core/domain/job";

/**
 * The registry file format (README, "Prompt registry"). Every object is strict so a misspelt key is
 * an error with its line, not a silently ignored setting.
 */
const semver =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const promptIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The job's `promptPurpose` (DESIGN §3): a job takes it from the prompt it runs. */
export const promptPurposeValues = ["craft", "refactor", "summarize", "custom"] as const satisfies readonly PromptPurpose[];
export const outputFormats = ["diff", "text", "json"] as const;
export const inputTypes = ["string", "list"] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** What a variable may hold: text, or a list of texts for `type: list` inputs. */
export const varValueSchema = z.union([scalar, z.array(scalar)], {
  error: "must be a text, a number, a boolean or a list of those",
});
export type VarValue = z.infer<typeof varValueSchema>;

const inputSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z_][a-z0-9_]*$/i, "input names are identifiers: letters, digits and _"),
    type: z.enum(inputTypes).default("string"),
    required: z.boolean().optional(),
    description: z.string().min(1).optional(),
    default: varValueSchema.optional(),
    /** The only values the input accepts (each item's, for a list). */
    values: z.array(z.string().min(1)).min(1).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.required === true && input.default !== undefined) {
      ctx.addIssue({ code: "custom", path: ["default"], message: "a required input cannot have a default" });
    }
    const outside = [input.default ?? []].flat().map(String).filter((value) => input.values !== undefined && !input.values.includes(value));
    if (outside.length > 0) {
      ctx.addIssue({ code: "custom", path: ["default"], message: `the default ${JSON.stringify(outside[0])} is not one of \`values\`` });
    }
  })
  // An input with a default is optional unless the file says otherwise.
  .transform((input) => ({ ...input, required: input.required ?? input.default === undefined }));

const nonEmptyText = z.string().min(1, "must not be empty");

const guardsSchema = z.strictObject({
  /** Most lines the rendered input (system + user) may have. */
  max_lines: z.number().int().positive().optional(),
  /** Most tokens (estimated) the rendered input may have. */
  max_tokens: z.number().int().positive().optional(),
  /** Texts the answer must contain. */
  must_include: z.array(nonEmptyText).default([]),
  /** Texts the answer must not contain. */
  must_not_include: z.array(nonEmptyText).default([]),
});

const jsonSchemaObject = z.record(z.string(), z.unknown(), { error: "must be a JSON schema (a mapping)" });

const outputSchema = z.strictObject({
  format: z.enum(outputFormats).default("text"),
  /** JSON schema the answer must match (format json only). */
  schema: jsonSchemaObject.optional(),
});

const optionsSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  stop: z.array(nonEmptyText).max(4).optional(),
});

const weight = z.number().min(0).default(1);
const assertionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("contains"), value: nonEmptyText, weight }),
  z.strictObject({ type: z.literal("not-contains"), value: nonEmptyText, weight }),
  z.strictObject({ type: z.literal("regex"), value: nonEmptyText, flags: z.string().regex(/^[imsu]*$/, "flags are some of i, m, s, u").optional(), weight }),
  z.strictObject({ type: z.literal("not-regex"), value: nonEmptyText, flags: z.string().regex(/^[imsu]*$/, "flags are some of i, m, s, u").optional(), weight }),
  z.strictObject({ type: z.literal("equals"), value: z.string(), weight }),
  z.strictObject({ type: z.literal("is-json"), weight }),
  z.strictObject({ type: z.literal("json-schema"), value: jsonSchemaObject, weight }),
  z.strictObject({ type: z.literal("max-tokens"), value: z.number().int().positive(), weight }),
  z.strictObject({ type: z.literal("diff-parses"), weight }),
  z.strictObject({ type: z.literal("diff-applies"), weight }),
]);
export type EvalAssertion = z.infer<typeof assertionSchema>;
export type AssertionType = EvalAssertion["type"];
export const assertionTypes: readonly AssertionType[] = assertionSchema.options.map((o) => o.shape.type.value);

const fixtureSchema = z.strictObject({
  /** Files inline: relative path → content. */
  files: z.record(z.string(), z.string()).optional(),
  /** A directory of files, relative to the prompt file. */
  dir: nonEmptyText.optional(),
});

const evalCaseSchema = z.strictObject({
  name: nonEmptyText,
  description: z.string().optional(),
  vars: z.record(z.string(), varValueSchema).default({}),
  /** The tree the answer's diff is checked against (`diff-applies`). */
  fixture: fixtureSchema.optional(),
  /** Weighted score (0–1) a case needs to pass; without it every assertion must pass. */
  threshold: z.number().min(0).max(1).optional(),
  assert: z.array(assertionSchema).min(1, "a case needs at least one assertion"),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

export const promptSchema = z.strictObject({
  id: z.string().regex(promptIdPattern, "ids are kebab-case: lowercase letters, digits and dashes (at most 64)"),
  version: z.string({ error: 'must be a quoted semantic version such as "1.0.0"' }).regex(semver, 'must be a semantic version such as "1.0.0"'),
  purpose: z.enum(promptPurposeValues),
  description: nonEmptyText,
  system: z.string().optional(),
  template: nonEmptyText,
  inputs: z.array(inputSchema).default([]),
  guards: guardsSchema.prefault({}),
  output: outputSchema.prefault({}),
  options: optionsSchema.optional(),
  evals: z.array(evalCaseSchema).default([]),
});

export type PromptDefinition = z.infer<typeof promptSchema>;
export type PromptInput = PromptDefinition["inputs"][number];
export type PromptGuards = PromptDefinition["guards"];
export type PromptOutput = PromptDefinition["output"];
