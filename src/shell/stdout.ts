// Waiting on process.stdout: a command that writes a large output waits while the reader is
// slow (no unbounded buffer), and the CLI waits until its output is handed to the OS.

/** Resolves on stdout's next 'drain', 'close' or 'error'. */
function nextStdoutEvent(): Promise<void> {
  const stdout = process.stdout;
  return new Promise((resolve) => {
    const done = () => {
      stdout.off('drain', done);
      stdout.off('close', done);
      stdout.off('error', done);
      resolve();
    };
    stdout.on('drain', done);
    stdout.on('close', done);
    stdout.on('error', done);
  });
}

/** Resolves once process.stdout has room again (at once when it has), or is closed. */
export function stdoutDrained(): Promise<void> {
  const stdout = process.stdout;
  if (!stdout.writableNeedDrain || stdout.destroyed) return Promise.resolve();
  return nextStdoutEvent();
}

/** Resolves once what was written to stdout has been handed to the OS (or stdout failed). */
export function stdoutFlushed(): Promise<void> {
  const stdout = process.stdout;
  if (stdout.writableLength === 0 || stdout.destroyed) return Promise.resolve();
  return nextStdoutEvent();
}
