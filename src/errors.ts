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

// What a use case answers when it cannot do what was asked, by meaning, never by transport:
// the web layer maps each class to its answer in one place (a page or JSON, and the HTTP
// status), the command line to its exit codes. No class here carries an HTTP status code.

/** One problem of a request, named by the field a person filled in (or the API's field name). */
export interface FieldProblem {
  field: string;
  problem: string;
}

export abstract class AppError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input: every problem at once, by field; nothing was written. */
export class InvalidInput extends AppError {
  readonly code = 'INVALID_INPUT';
  constructor(
    readonly errors: FieldProblem[],
    message = errors.map((e) => `${e.field}: ${e.problem}`).join('; '),
  ) {
    super(message);
  }
}

/** In scope, but this person may not do this (the policy module said no). */
export class NotAllowed extends AppError {
  readonly code = 'NOT_ALLOWED';
}

/** Nothing there, or nothing this person may see: the same answer for both. */
export class NotFound extends AppError {
  readonly code = 'NOT_FOUND';
}

/** The state does not allow it now (a deadline not overdue, a roster fact, a held lock). */
export class Conflict extends AppError {
  readonly code = 'CONFLICT';
  constructor(
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** A file too large for what it is (a certificate over its limit). */
export class TooLarge extends AppError {
  readonly code = 'TOO_LARGE';
}

/** A file of a kind that is not accepted (recognized by its content). */
export class UnsupportedFile extends AppError {
  readonly code = 'UNSUPPORTED_FILE';
}

/** The service is at capacity (no database connection free in time): try again shortly; nothing was done. */
export class ServiceBusy extends AppError {
  readonly code = 'SERVICE_BUSY';
}

/** The request's body stopped arriving: it was abandoned, and whatever it started rolled back. */
export class InputStalled extends AppError {
  readonly code = 'INPUT_STALLED';
}
