// Bounding a wait without cancelling what is waited for (it keeps running either way; the
// caller stops waiting).

/** `p`, or a rejection "no answer in `ms` ms" if it has not settled by then. */
export function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Whether `p` settles (either way) within `ms`. */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return within(
    ms,
    p.then(
      () => true,
      () => true,
    ),
  ).catch(() => false);
}
