import * as z from "zod";

export interface JsonSchemaCheck {
  /** Every mismatch as `path: message` (`(root)` for the top level); empty when the value matches. */
  validate(value: unknown): string[];
}

/**
 * Compiles a JSON schema (draft 2020-12, draft 7 or 4) with zod's `fromJSONSchema`, so no second
 * validator is shipped. Throws an Error naming the unsupported feature (external $ref, if/then/else,
 * dependentRequired) when the schema cannot be compiled.
 */
export function compileJsonSchema(schema: Record<string, unknown>): JsonSchemaCheck {
  const zodSchema = z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema);
  return {
    validate(value) {
      const parsed = zodSchema.safeParse(value);
      if (parsed.success) return [];
      return parsed.error.issues.map((issue) => `${issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".")}: ${issue.message}`);
    },
  };
}

/** The compile error as one line, or undefined when the schema compiles. */
export function jsonSchemaError(schema: Record<string, unknown>): string | undefined {
  try {
    compileJsonSchema(schema);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
