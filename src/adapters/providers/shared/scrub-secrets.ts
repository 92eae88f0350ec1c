/** Shapes of vendor keys, so a key echoed back by a server never reaches a message or a log. */
const keyPatterns: readonly RegExp[] = [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_*-]{12,}/g, /\bAIza[0-9A-Za-z_-]{30,}/g];

/** The text with every given secret and every key-shaped string replaced. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  }
  for (const pattern of keyPatterns) out = out.replace(pattern, "[REDACTED]");
  return out;
}
