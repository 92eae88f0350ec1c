import type { GenerateContentConfig, GenerateContentParameters } from "@google/genai";
import type { GenInput, GenOptions } from "../../../core/ports/provider-port";

/** A grompt request as `models.generateContent` parameters (the adapter adds signal and HTTP options). */
export function toGeminiRequest(input: GenInput, options: GenOptions = {}, model: string): GenerateContentParameters {
  const config: GenerateContentConfig = {};
  if (input.system !== undefined && input.system !== "") config.systemInstruction = { parts: [{ text: input.system }] };
  if (options.temperature !== undefined) config.temperature = options.temperature;
  if (options.topP !== undefined) config.topP = options.topP;
  if (options.maxTokens !== undefined) config.maxOutputTokens = options.maxTokens;
  if (options.stopSequences !== undefined && options.stopSequences.length > 0) config.stopSequences = options.stopSequences;
  if (options.jsonMode === true) config.responseMimeType = "application/json";
  return { model, contents: [{ role: "user", parts: [{ text: input.user }] }], config };
}
