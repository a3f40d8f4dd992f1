// Prometheus text exposition (format 0.0.4) of a few counters and gauges. No globals:
// the composition root owns one Metrics and passes it down.
type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => Promise<{ labels: Labels; value: number }[]> }>();

  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const entry = { help, values: new Map<string, number>() };
    this.counters.set(name, entry);
    return (labels = {}, by = 1) => {
      const key = labelText(labels);
      entry.values.set(key, (entry.values.get(key) ?? 0) + by);
    };
  }

  /** A gauge read at scrape time. */
  gauge(name: string, help: string, read: () => Promise<{ labels: Labels; value: number }[]>): void {
    this.gauges.set(name, { help, read });
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const [name, { help, values }] of this.counters) {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      if (values.size === 0) out.push(`${name} 0`);
      for (const [labels, v] of values) out.push(`${name}${labels} ${v}`);
    }
    for (const [name, { help, read }] of this.gauges) {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      try {
        for (const { labels, value } of await read()) out.push(`${name}${labelText(labels)} ${value}`);
      } catch {
        // Unavailable while a dependency is down; /healthz says which.
      }
    }
    return `${out.join('\n')}\n`;
  }
}
