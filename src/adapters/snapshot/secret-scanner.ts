import type { SecretLintCoreConfig } from "@secretlint/types";

export interface SecretHit {
  /** secretlint rule name without the package prefix ("github", "privatekey", ...). */
  rule: string;
  /** UTF-16 offsets into the scanned text. */
  start: number;
  end: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * A cheap superset of secretlint's recommended rules (@secretlint/secretlint-rule-preset-recommend
 * 11.7.1): every secret those rules report contains one of these anchors, so a file without any is
 * clean and skips the full rule set. One regex pass runs at hundreds of MB/s; only the rare file
 * that matches pays for secretlint. The test suite checks a sample secret of every rule against it.
 */
export const secretPrefilter = new RegExp(
  [
    String.raw`secret_?access_?key`, // aws
    String.raw`PRIVATE KEY`, // privatekey, gcp
    String.raw`private_key`, // gcp service account json
    String.raw`x-oauth-basic@`, // npm (package.json)
    String.raw`_authToken=`, // npm (.npmrc)
    String.raw`npm_[A-Za-z0-9_]{36}`, // npm access token
    String.raw`xox[a-z]-`, // slack tokens
    String.raw`xapp-`, // slack app token
    String.raw`hooks\.slack\.com`, // slack webhook
    String.raw`(?:https?|ftps?):\/\/[-\w]{1,256}:[-\w]{1,256}@`, // basic auth
    String.raw`T3BlbkFJ`, // openai
    String.raw`sk-ant-api0`, // anthropic
    String.raw`lin_api_`, // linear
    String.raw`SG\.\w`, // sendgrid
    String.raw`shp(?:pa|ca|at|ss)_`, // shopify
    String.raw`gh[pousr]_[A-Za-z0-9_]{36}`, // github classic
    String.raw`github_pat_`, // github fine-grained
    String.raw`ops_ey`, // 1password
    String.raw`(?:mongodb|mysqlx?|postgres(?:ql)?)(?:\+srv)?:\/\/[^\s\/:]{1,100}:`, // database urls
  ].join("|"),
  "i",
);

const RULE_PREFIX = "@secretlint/secretlint-rule-";

export interface SecretScanner {
  /** Secrets in `text`, in order of position; [] for the vast majority of files. */
  scan(path: string, text: string): Promise<SecretHit[]>;
  /** The full rule set only, for a text that already matched `secretPrefilter`. */
  lint(path: string, text: string): Promise<SecretHit[]>;
}

/** secretlint is loaded on first use, so commands that never scan do not pay for it. */
export async function createSecretScanner(): Promise<SecretScanner> {
  const [{ lintSource }, { creator: recommendedRules }] = await Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend"),
  ]);
  const config: SecretLintCoreConfig = {
    rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommendedRules }],
  };
  const lint = async (path: string, text: string): Promise<SecretHit[]> => {
    const dot = path.lastIndexOf(".");
    const result = await lintSource({
      source: { content: text, filePath: path, ext: dot > path.lastIndexOf("/") ? path.slice(dot) : "", contentType: "text" },
      options: { config, maskSecrets: true, noPhysicFilePath: false },
    });
    return result.messages
      .map((message) => ({
        rule: message.ruleId.startsWith(RULE_PREFIX) ? message.ruleId.slice(RULE_PREFIX.length) : message.ruleId,
        start: message.range[0],
        end: message.range[1],
        line: message.loc.start.line,
        column: message.loc.start.column + 1,
      }))
      .sort((a, b) => a.start - b.start || a.end - b.end);
  };
  return {
    scan: async (path, text) => (secretPrefilter.test(text) ? lint(path, text) : []),
    lint,
  };
}

/** Replaces every secret with `[REDACTED:<rule>]`; overlapping findings merge into the first. */
export function redactSecrets(text: string, hits: readonly SecretHit[]): string {
  let out = "";
  let cursor = 0;
  for (const hit of hits) {
    if (hit.end <= cursor) continue;
    out += text.slice(cursor, Math.max(cursor, hit.start));
    if (hit.start >= cursor) out += `[REDACTED:${hit.rule}]`;
    cursor = hit.end;
  }
  return out + text.slice(cursor);
}
