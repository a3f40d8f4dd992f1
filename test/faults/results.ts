// The figures each scenario reports, one line as it finishes and a table at the end of the
// suite (printed by global-setup.ts, which outlives the test files).
export interface ScenarioResult {
  scenario: string;
  /** Distinct expected (alert key, recipient) pairs that arrived at least once. */
  delivered: number;
  /** Pairs `sro scan --dry-run` said were owed before any worker started. */
  expected: number;
  /** Arrivals beyond the first, over every pair. */
  duplicates: number;
  /** What else is worth reading next to the figures (retries, duplicate window, timings). */
  note: string;
}

const HEAD = ['scenario', 'delivered', 'expected', 'duplicates', 'note'] as const;

export function formatLine(r: ScenarioResult): string {
  return `${r.scenario} | ${r.delivered} | ${r.expected} | ${r.duplicates}${r.note ? ` | ${r.note}` : ''}`;
}

export function formatTable(results: readonly ScenarioResult[]): string {
  const sorted = [...results].sort((a, b) => a.scenario.localeCompare(b.scenario));
  const rows = sorted.map((r) => [r.scenario, String(r.delivered), String(r.expected), String(r.duplicates), r.note]);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 1 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const out = ['fault suite: every alert exactly once?', line(HEAD), widths.map((w) => '-'.repeat(w)).join('-|-')];
  for (const row of rows) out.push(line(row));
  if (rows.length === 0) out.push('(no scenario finished)');
  return out.join('\n');
}
