// Secrets out of what is shown: a URL's password masked.

/** A URL with its password replaced, for logs. */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
