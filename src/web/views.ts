// The console's pages: eta templates in views/ (at the package root, so the compiled
// product finds them too). `<%= %>` escapes for HTML, and templates use nothing else for
// roster text: a name such as <img src=x onerror=alert(1)> shows as text.
import { Eta } from 'eta';

export interface Views {
  render(name: string, data: Record<string, unknown>): string;
}

export function createViews(dir: string): Views {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, autoTrim: [false, 'nl'] });
  return { render: (name, data) => eta.render(name, data) };
}
