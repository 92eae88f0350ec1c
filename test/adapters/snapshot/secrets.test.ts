import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { rules as recommendedRules } from "@secretlint/secretlint-rule-preset-recommend";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSecretScanner, redactSecrets, secretPrefilter } from "../../../src/adapters/snapshot/secret-scanner";
import { cleanupTrees, initRepo, readOutputs, snapshotPort, tempDir, writeTree } from "../../support/snapshot-fixtures";
import { readZip } from "../../support/read-zip";

beforeAll(() => vi.stubEnv("GIT_CONFIG_GLOBAL", "/dev/null"));
afterAll(() => {
  vi.unstubAllEnvs();
  cleanupTrees();
});

// Fake secrets are assembled at run time so no real-looking key sits in the repository.
const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const fake = (length: number, alphabet = alnum, seed = 7) =>
  Array.from({ length }, (_, i) => alphabet[(i * seed + 11) % alphabet.length]).join("");
const base64 = (text: string) => Buffer.from(text).toString("base64");
const pem = (label: string) => {
  const body = `MII${fake(300, `${alnum}+/`, 13)}`.match(/.{1,64}/g)?.join("\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
};
const opsToken = () => {
  let json = `{"email":"${fake(12)}@1passwordserviceaccounts.lcl","secretKey":"${fake(40)}"`;
  while ((json.length + 1) % 3 !== 1) json += " ";
  return `ops_${base64(`${json}}`)}`;
};

/** One sample per rule of the recommended preset: [file, content, rule]. */
const samples: [string, string, string][] = [
  ["aws.env.ts", `const AWS_SECRET_ACCESS_KEY = "${fake(40, `${alnum}/+`)}";`, "aws"],
  ["gcp.json", JSON.stringify({ type: "service_account", private_key_id: fake(20), private_key: `${pem("PRIVATE KEY")}\n` }), "gcp"],
  ["key.ts", `export const key = \`${pem("RSA PRIVATE KEY")}\`;`, "privatekey"],
  ["npm.ts", `const token = "npm_${fake(36)}";`, "npm"],
  ["auth.ts", `fetch("https://deploy1:${fake(16)}@internal.corp.net/api");`, "basicauth"],
  ["slack.ts", `const slack = "xoxb-1234567890-${fake(24)}";`, "slack"],
  ["sendgrid.ts", `const sg = "SG.${fake(22)}.${fake(43, alnum, 5)}";`, "sendgrid"],
  ["shopify.ts", `const shop = "shpat_${fake(32, "0123456789abcdef")}";`, "shopify"],
  ["github.ts", `const gh = "ghp_${fake(36)}";`, "github"],
  ["openai.ts", `const key = "sk-${fake(20)}T3BlbkFJ${fake(20, alnum, 3)}";`, "openai"],
  ["anthropic.ts", `const key = "sk-ant-api03-${fake(93, `${alnum}_-`)}AA";`, "anthropic"],
  ["linear.ts", `const key = "lin_api_${fake(40)}";`, "linear"],
  ["onepassword.ts", `const key = "${opsToken()}";`, "1password"],
  ["db.ts", `const url = "postgres://appuser:${fake(14)}@db.internal:5432/app";`, "database-connection-string"],
];

describe("secret scanning", () => {
  it("has a sample for every detecting rule of the recommended preset", () => {
    const detecting = recommendedRules.map((rule) => rule.meta.id.replace("@secretlint/secretlint-rule-", "")).filter((id) => id !== "filter-comments");
    expect(new Set(samples.map(([, , rule]) => rule))).toEqual(new Set(detecting));
  });

  it.each(samples)("the pre-filter lets %s through and secretlint reports it", async (file, content, rule) => {
    expect(secretPrefilter.test(content)).toBe(true);
    const scanner = await createSecretScanner();
    const text = file.endsWith(".json") ? content : `// header\n${content}\n`;
    const hits = await scanner.scan(file, text);
    expect(hits.map((hit) => hit.rule)).toContain(rule);
    expect(hits[0]?.line).toBe(file.endsWith(".json") ? 1 : 2);
  });

  it("skips clean files without running secretlint and honours secretlint-disable comments", async () => {
    const scanner = await createSecretScanner();
    expect(secretPrefilter.test("export const x = 1;\nconst url = 'https://example.com/a';\n")).toBe(false);
    const disabled = `const gh = "ghp_${fake(36)}"; // secretlint-disable-line\n`;
    expect(await scanner.scan("a.ts", disabled)).toEqual([]);
  });

  it("redacts every range and merges overlapping ones", () => {
    const text = "key=AAAA and BBBB end";
    expect(redactSecrets(text, [{ rule: "x", start: 4, end: 8, line: 1, column: 5 }, { rule: "y", start: 13, end: 17, line: 1, column: 14 }])).toBe(
      "key=[REDACTED:x] and [REDACTED:y] end",
    );
    expect(redactSecrets(text, [{ rule: "x", start: 4, end: 10, line: 1, column: 5 }, { rule: "y", start: 6, end: 17, line: 1, column: 7 }])).toBe(
      "key=[REDACTED:x] end",
    );
  });
});

describe("secrets modes", () => {
  const token = `ghp_${fake(36)}`;
  const repo = () =>
    writeTree(initRepo(tempDir()), {
      "src/app.ts": "export const app = 1;\n",
      "src/config.ts": `// config\nexport const settings = {\n  token: "${token}",\n};\n`,
      ".env": `TOKEN=${token}\n`,
      ".env.production": "DB=x\n",
      ".env.example": "TOKEN=\n",
      "deploy/id_rsa": "not a real key\n",
      "certs/server.pem": "not a real cert\n",
      ".aws/credentials": "[default]\n",
      "src/credentials/index.ts": "export const credentials = {};\n",
    });
  const port = snapshotPort();

  it("block (the default) stops, names file:line and rule, and writes nothing", async () => {
    const out = join(tempDir(), "out");
    const attempt = port.take({ root: repo(), outDir: out });
    await expect(attempt).rejects.toMatchObject({
      code: "secret_detected",
      message: expect.stringContaining("src/config.ts:3 (rule github)"),
      details: { findings: [{ path: "src/config.ts", line: 3, column: 11, rule: "github" }] },
    });
    expect(existsSync(out)).toBe(false);
  });

  it("redact replaces the secret in the latx, the zip and the manifest's hash", async () => {
    const result = await port.take({ root: repo(), outDir: join(tempDir(), "out"), secrets: "redact" });
    const { latx, zip } = readOutputs(join(result.outputs.latx, ".."));
    expect(latx.toString("utf8")).not.toContain(token);
    expect(latx.toString("utf8")).toContain('  token: "[REDACTED:github]",\n');
    const entry = (await readZip(zip)).find((e) => e.name === "src/config.ts");
    const redacted = `// config\nexport const settings = {\n  token: "[REDACTED:github]",\n};\n`;
    expect(entry?.content.toString("utf8")).toBe(redacted);
    const manifestEntry = result.manifest.files.find((f) => f.path === "src/config.ts");
    expect(manifestEntry).toMatchObject({ size: Buffer.byteLength(redacted), sha256: createHash("sha256").update(redacted).digest("hex"), redactions: 1 });
    expect(result.redactions).toEqual([{ path: "src/config.ts", line: 3, column: 11, rule: "github" }]);
  });

  it("finds, redacts and blocks the same on worker threads as on the main thread", async () => {
    const root = repo();
    const [onMain, onWorkers] = [snapshotPort({ workers: 0 }), snapshotPort({ workers: 2 })];
    const redactedMain = await onMain.take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });
    const redactedWorkers = await onWorkers.take({ root, outDir: join(tempDir(), "out"), secrets: "redact" });
    expect(readOutputs(join(redactedWorkers.outputs.latx, ".."))).toEqual(readOutputs(join(redactedMain.outputs.latx, "..")));
    expect(redactedWorkers.redactions).toEqual(redactedMain.redactions);
    expect([...redactedWorkers.tokens.byPath]).toEqual([...redactedMain.tokens.byPath]);
    await expect(onWorkers.take({ root, outDir: join(tempDir(), "out") })).rejects.toMatchObject({
      code: "secret_detected",
      details: { findings: [{ path: "src/config.ts", line: 3, column: 11, rule: "github" }] },
    });
  });

  it("off sends contents as they are, but never files that are secrets by name", async () => {
    const result = await port.take({ root: repo(), outDir: join(tempDir(), "out"), secrets: "off" });
    expect(readOutputs(join(result.outputs.latx, "..")).latx.toString("utf8")).toContain(token);
    expect(result.manifest.files.map((f) => f.path)).toEqual([".env.example", "src/app.ts", "src/config.ts", "src/credentials/index.ts"]);
    expect(result.excluded).toEqual([
      { reason: "secret-file", count: 5, examples: [".aws/credentials", ".env", ".env.production", "certs/server.pem", "deploy/id_rsa"] },
    ]);
  });
});
