// The officer page read as a person reads it (test/web/officer-page*.test.ts): its text, its
// status header's parts, its forms by what they post to, and which folded forms are open.

/** Text as a reader sees it: tags dropped, entities read, spaces joined. */
export const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The status header's parts: its title, the sentence, what to do next, and its HTML. */
export function header(html: string) {
  const section = /<section aria-labelledby="status-h"[\s\S]*?<\/section>\s*(?=<section|<details|<p|$)/.exec(html)?.[0];
  if (!section) throw new Error('no status header on the page');
  return {
    html: section,
    title: text(/<h2 id="status-h">([\s\S]*?)<\/h2>/.exec(section)?.[1] ?? ''),
    sentence: text(/<p class="headline">([\s\S]*?)<\/p>/.exec(section)?.[1] ?? ''),
    next: text(/<p class="next">([\s\S]*?)<\/p>/.exec(section)?.[1] ?? ''),
  };
}

/** The officer page's forms by what they post to: 'acknowledgements', 'trainings', 'contact-days', … */
export const formsOf = (html: string, license: string) =>
  [...html.matchAll(new RegExp(`<form method="post" action="/officers/${license}/([a-z-]+)"`, 'g'))].map((m) => m[1]!);

/** The folded forms (`<details class="card form" id="form-NAME">`) and whether each is open. */
export const folded = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<details class="card form" id="form-([a-z]+)"( open)?>/g)].map((m) => [m[1]!, m[2] === ' open']),
  );
