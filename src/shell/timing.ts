// Bounding a wait without cancelling what is waited for.

/** Whether `p` settles within `ms` (it keeps running either way; the caller stops waiting). */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const result = await Promise.race([p.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}
