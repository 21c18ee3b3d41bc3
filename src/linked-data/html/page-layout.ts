import type { HtmlValue } from './html-template';
import { html, SafeHtml } from './html-template';

/** Machine-readable forms of the page's resource, linked with `<link rel="alternate">`. */
export interface Alternates {
  jsonLd: string;
  turtle: string;
  nTriples: string;
}

export interface PageParts {
  title: string;
  baseUrl: string;
  catalogTitle: string;
  main: SafeHtml;
  alternates?: Alternates;
  /** Extra elements for `<head>`, such as embedded JSON-LD. */
  head?: SafeHtml;
}

// Inline so pages need nothing from another host: sites may be air-gapped, and a CDN would see every visit.
const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d232b;background:#fafbfc}
header{background:#243447;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:baseline;flex-wrap:wrap}
header a{color:#fff}header .site{font-weight:600;font-size:1.1rem;text-decoration:none}
main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.6rem;margin:.6rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f4}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
code,pre{font:.9rem ui-monospace,monospace;background:#eef1f4;padding:0 .2rem}pre{padding:.6rem;overflow:auto}
.citation{user-select:all;background:#fff8e1;border:1px solid #e0c97f;padding:.5rem;overflow-wrap:anywhere}
.muted{color:#5a6573}.notice{background:#fdecea;border:1px solid #e6a19b;padding:.6rem}
form.search input[type=search]{width:min(40rem,70%);padding:.35rem;font-size:1rem}
ul.results{list-style:none;padding:0}ul.results li{padding:.5rem 0;border-bottom:1px solid #e3e7eb}
`;

/** Render a complete HTML page with the site header and the inline style sheet. */
export function renderPage(parts: PageParts): string {
  const alternates: HtmlValue =
    parts.alternates === undefined
      ? null
      : html`<link rel="alternate" type="application/ld+json" href="${parts.alternates.jsonLd}" />
          <link rel="alternate" type="text/turtle" href="${parts.alternates.turtle}" />
          <link
            rel="alternate"
            type="application/n-triples"
            href="${parts.alternates.nTriples}"
          />`;

  const page = html`<!DOCTYPE html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${parts.title} · ${parts.catalogTitle}</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
        ${alternates} ${parts.head}
      </head>
      <body>
        <header>
          <a class="site" href="${parts.baseUrl}/">${parts.catalogTitle}</a>
          <nav>
            <a href="${parts.baseUrl}/">Search</a> ·
            <a href="${parts.baseUrl}/products">Data products</a> ·
            <a href="${parts.baseUrl}/catalog">DCAT catalog</a> ·
            <a href="${parts.baseUrl}/graphql">GraphQL</a>
          </nav>
        </header>
        <main>${parts.main}</main>
      </body>
    </html> `;
  return page.markup;
}

/** Render the facts that have a value as a definition list. */
export function factList(facts: Array<[string, HtmlValue]>): SafeHtml {
  const present = facts.filter(
    ([, value]) => value !== null && value !== undefined && value !== '',
  );
  return html`<dl>
    ${present.map(
      ([label, value]) =>
        html`<dt>${label}</dt>
          <dd>${value}</dd>`,
    )}
  </dl>`;
}

/** Format a UTC timestamp as people read it (`2025-03-01 10:00:00 UTC`), or return null for no date. */
export function formatTime(date: Date | null | undefined): string | null {
  if (date === null || date === undefined) {
    return null;
  }
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
