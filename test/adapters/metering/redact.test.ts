import { describe, expect, it } from "vitest";
import { createRedactor } from "../../../src/adapters/metering/redact";

describe("log redaction", () => {
  const redactor = createRedactor(["exact-secret-value"]);

  it("scrubs every key shape, whatever its case and wherever it sits in the text", () => {
    const planted = [
      "key sk-proj-abcdefghijklmnop1234 in the middle",
      "sk-ant-abcdefghijklmnop1234",
      "gemini AIzaSyA1234567890abcdefghijklmnopqrstu",
      "authorization: Bearer abc.def-ghi_jkl",
      "BASIC dXNlcjpwYXNzd29yZA==",
      'config {"API_KEY": "abcdefgh12345678"}',
      "X-Goog-Api-Key=abcdefgh12345678",
      "Token: abcdefgh12345678",
      "mail someone@example.org now",
      "the exact-secret-value leaked",
    ];
    for (const text of planted) {
      const out = redactor.text(text);
      expect(out, text).toContain("[REDACTED");
      expect(out).not.toMatch(/abcdefghijklmnop1234|AIzaSy|abc\.def|dXNlcj|abcdefgh12345678|someone@|exact-secret-value/);
    }
  });

  it("leaves text without a secret as it was, and redacts nested values and secret-named keys", () => {
    expect(redactor.text("provider call finished")).toBe("provider call finished");
    expect(redactor.value({ provider: "openai", usage: { total: 3 }, apiKey: "short", list: ["sk-abcdefghijklmnopq"] })).toEqual({
      provider: "openai",
      usage: { total: 3 },
      apiKey: "[REDACTED]",
      list: ["[REDACTED:api-key]"],
    });
  });
});
