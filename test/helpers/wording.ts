// What no page, e-mail, help or README may say (INTERFACE.md "Pages for people", STYLE.md
// habit 13): no specification file (RULES.md), no field code followed by a colon
// (completedOn:, DEADLINE_MISSED:), no UTC time, no British spelling; and the text a reader
// sees of an HTML document. Used by test/web/wording.test.ts and the tests that render pages
// and texts of their own.

import type { WebClient } from './console.ts';

export const BRITISH =
  /\b(enrol|enrols|enrolment|licence|licences|recognis\w*|organis\w*|authoris\w*|analys(?:e|es|ed|ing)|centre|centres|colour\w*|behaviour\w*|favour\w*|honour\w*|labour\w*|neighbour\w*|programme|defence|offence|cancelled|cancelling|labelled|labelling|travelled|modelled|catalogue|judgement|whilst|amongst|summaris\w*|prioritis\w*|minimis\w*|normalis\w*|finalis\w*|utilis\w*|customis\w*|apologis\w*|categoris\w*|realis\w*|fulfil|acknowledgement\w*)\b/i;

/** Each problem the words have, by what it is. */
export function wordingProblems(text: string): string[] {
  const problems: string[] = [];
  const find = (what: string, re: RegExp) => {
    const m = re.exec(text);
    if (m) problems.push(`${what}: "…${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…"`);
  };
  find('a specification file', /RULES\.md|INTERFACE\.md/);
  // completedOn:, plannedCompletionOn: (a camelCase name), DEADLINE_MISSED: (a code).
  find('a field code', /\b[a-z]+(?:[A-Z][a-z0-9]*)+:|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+:/);
  find('a UTC time', /\bUTC\b|\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b\d{2}:\d{2}(?::\d{2})?Z\b/);
  find('a British spelling', BRITISH);
  return problems;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** What a reader sees of an HTML document: its title and text, with alt and aria-label words. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*\b(?:alt|aria-label|title)="([^"]*)"[^>]*>/gi, ' $1 ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/\s+/g, ' ');
}

/** Keeps every HTML page `client` is answered with in `pages` (a test file checks their words at its end). */
export function keepPages(client: WebClient, pages: string[]): WebClient {
  const request = client.request.bind(client);
  client.request = async (...args) => {
    const r = await request(...args);
    if (r.headers.get('content-type')?.startsWith('text/html')) pages.push(r.text);
    return r;
  };
  return client;
}
