import { GromptError } from "../../core/domain/errors";
import type { GenOptions } from "../../core/ports/provider-port";

export const craftPurposes = ["code", "creative", "analysis", "general"] as const;
export type CraftPurpose = (typeof craftPurposes)[number];

/** What `grompt craft` flags, `POST /v1/jobs/craft` bodies or interactive answers say. */
export interface CraftRequest {
  ideas?: readonly string[];
  purpose?: string;
  lang?: string;
  maxTokens?: number | string;
}

/** The `craft-prompt` registry prompt's inputs, and the call options that go with them. */
export interface CraftInputs {
  vars: { ideas: string[]; purpose: CraftPurpose; language?: string; max_tokens?: string };
  options: GenOptions;
}

export const craftLimits = { minTokens: 50, maxTokens: 32_000, maxLanguageLength: 40 } as const;

/**
 * Validates a craft request and maps it onto `craft-prompt`'s inputs. The length limit is told to
 * the model and also caps the answer, with headroom so a prompt that runs slightly long is not cut
 * mid-sentence.
 */
export function craftInputs(request: CraftRequest): CraftInputs {
  const ideas = (request.ideas ?? []).map((idea) => idea.trim()).filter((idea) => idea !== "");
  if (ideas.length === 0) {
    throw new GromptError("usage", "no ideas to craft a prompt from", {
      hint: 'Give at least one: --idea "a CLI that converts CSV to JSON" (repeat --idea for more).',
    });
  }
  const { purpose, language, maxTokens } = craftSettings(request);
  const vars: CraftInputs["vars"] = { ideas, purpose };
  const options: GenOptions = {};
  if (language !== undefined) vars.language = language;
  if (maxTokens !== undefined) {
    vars.max_tokens = String(maxTokens);
    options.maxTokens = Math.ceil(maxTokens * 1.5);
  }
  return { vars, options };
}

/** Purpose, language and length limit of a request, validated (ideas aside: they may still be asked for). */
export function craftSettings(request: Omit<CraftRequest, "ideas">): { purpose: CraftPurpose; language?: string; maxTokens?: number } {
  const purpose = request.purpose?.trim().toLowerCase() || "general";
  if (!isCraftPurpose(purpose)) {
    throw new GromptError("invalid_input", `purpose ${JSON.stringify(request.purpose)} is not one grompt knows`, {
      hint: `Use one of: ${craftPurposes.join(", ")}.`,
      details: { field: "purpose", allowed: [...craftPurposes] },
    });
  }
  const settings: ReturnType<typeof craftSettings> = { purpose };
  const language = request.lang?.trim();
  if (language !== undefined && language !== "") {
    if (language.length > craftLimits.maxLanguageLength || !/^[\p{L}\p{M}][\p{L}\p{M}\d ()_-]*$/u.test(language)) {
      throw new GromptError("invalid_input", `language ${JSON.stringify(language)} is not a language name or tag`, {
        hint: 'Use a tag such as "pt-BR" or a name such as "Portuguese".',
        details: { field: "lang" },
      });
    }
    settings.language = language;
  }

  if (request.maxTokens !== undefined && request.maxTokens !== "") {
    const limit = Number(request.maxTokens);
    if (!Number.isInteger(limit) || limit < craftLimits.minTokens || limit > craftLimits.maxTokens) {
      throw new GromptError("invalid_input", `max tokens ${JSON.stringify(request.maxTokens)} is not a whole number from ${craftLimits.minTokens} to ${craftLimits.maxTokens}`, {
        hint: "A few hundred tokens is a short prompt; 1500 a detailed one.",
        details: { field: "maxTokens" },
      });
    }
    settings.maxTokens = limit;
  }
  return settings;
}

const isCraftPurpose = (value: string): value is CraftPurpose => (craftPurposes as readonly string[]).includes(value);
