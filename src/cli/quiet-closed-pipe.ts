/**
 * `grompt … | head -1`: once the reader closes the pipe, further writes fail with EPIPE. Like any
 * Unix filter, stop quietly instead of dying on an unhandled 'error' event with a stack trace.
 * Jobs lose nothing: their state lives in the store and the queue, and an unfinished lease resumes.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}
