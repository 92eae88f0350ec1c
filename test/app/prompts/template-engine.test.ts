import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../src/app/prompts/template-engine";

describe("renderTemplate (compiled templates are reused)", () => {
  it("renders the same template with each context it is given, and other templates as themselves", () => {
    expect(renderTemplate("Hello {{name}}", { name: "Ada" })).toBe("Hello Ada");
    expect(renderTemplate("Hello {{name}}", { name: "Grace" })).toBe("Hello Grace");
    expect(renderTemplate("Bye {{name}}", { name: "Ada" })).toBe("Bye Ada");
    expect(renderTemplate("{{join files \"; \"}}", { files: ["a", "b"] })).toBe("a; b");
  });

  it("keeps rendering correctly past the number of compiled templates it keeps", () => {
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < 600; i += 1) expect(renderTemplate(`#${i} {{value}}`, { value: round })).toBe(`#${i} ${round}`);
    }
  });

  it("stays strict for a cached template: a missing variable is an error every time", () => {
    expect(renderTemplate("{{topic}}", { topic: "x" })).toBe("x");
    expect(() => renderTemplate("{{topic}}", {})).toThrow(/topic/);
    expect(() => renderTemplate("{{topic}}", {})).toThrow(/topic/);
  });
});
