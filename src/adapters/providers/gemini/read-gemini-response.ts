import type { GenerateContentResponse } from "@google/genai";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason";

/** The answer's text (thought summaries left out), finish reason and model from one response or chunk. */
export function readGeminiResponse(response: Pick<GenerateContentResponse, "candidates" | "promptFeedback" | "modelVersion">): {
  text: string;
  finishReason?: string;
  model?: string;
} {
  const candidate = response.candidates?.[0];
  const text = (candidate?.content?.parts ?? [])
    .filter((part) => typeof part.text === "string" && part.thought !== true)
    .map((part) => part.text)
    .join("");
  const blocked = candidate === undefined && response.promptFeedback?.blockReason !== undefined;
  return {
    text,
    finishReason: mapGeminiFinishReason(candidate?.finishReason, blocked),
    model: response.modelVersion || undefined,
  };
}
