/**
 * "Connection error. (fetch failed: connect ECONNREFUSED 127.0.0.1:9)": the SDKs wrap network
 * failures two or three levels deep, and only the innermost message says what went wrong.
 */
export function describeCauses(error: Error): string {
  const messages: string[] = [];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    if (cause.message !== "" && !messages.includes(cause.message) && cause.message !== error.message) messages.push(cause.message);
    cause = cause.cause;
  }
  return messages.length === 0 ? error.message : `${error.message} (${messages.join(": ")})`;
}
