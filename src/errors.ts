// One small error hierarchy (bullmq's classes/errors): a PermanentError can never succeed
// on a retry, so the send job records its row FAILED at once; any other error is
// transient and retried on the ledger's schedule (jobs/send-alert.ts).

export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isPermanent(e: unknown): e is PermanentError {
  return e instanceof PermanentError;
}
