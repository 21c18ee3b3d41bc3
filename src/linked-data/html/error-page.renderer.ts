import { html } from './html-template';
import { renderPage } from './page-layout';

/** Render a small error page for people with the same text as the problem document. */
export function renderErrorPage(
  status: number,
  title: string,
  detail: string,
  baseUrl: string,
  catalogTitle: string,
): string {
  const main = html`<h1>${status} ${title}</h1>
    <p class="notice">${detail}</p>
    <p><a href="${baseUrl}/">Search the catalog</a></p>`;
  return renderPage({ title: `${status} ${title}`, baseUrl, catalogTitle, main });
}
