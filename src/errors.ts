// One small error hierarchy (bullmq's classes/errors): a PermanentError can never succeed
// on a retry, so the send job records its row FAILED at once; any other error is
// transient and retried on the ledger's schedule (jobs/send-alert.ts).

export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A service a command needs cannot be reached: exit 3 with one line naming it and its variable. */
export class ServiceUnreachableError extends Error {
  readonly code = 'SERVICE_UNREACHABLE';
}

export function isPermanent(e: unknown): e is PermanentError {
  return e instanceof PermanentError;
}
