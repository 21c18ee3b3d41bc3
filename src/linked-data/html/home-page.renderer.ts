import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { SiteFacts } from '../descriptions/site-facts';
import { html } from './html-template';
import { renderPage } from './page-layout';

export interface HomePageView {
  query: string;
  datasets: DatasetEntity[];
  totalCount: number;
  /** Cursor of the next page of results, or null on the last page. */
  nextCursor: string | null;
  signedIn: boolean;
  site: SiteFacts;
}

/** Render the home page: a search form that works without JavaScript, its results, and the machine entry points. */
export function renderHomePage(view: HomePageView): string {
  const { site } = view;
  const results = view.datasets.map(
    (dataset) =>
      html`<li>
        <a href="${site.landingPageOf(dataset.pid)}">${dataset.title}</a><br /><span class="muted"
          >${[dataset.kind, dataset.place, dataset.units.join(', ')].filter((part) => part !== null && part !== '').join(' · ')}</span
        >
      </li>`,
  );
  const next =
    view.nextCursor === null
      ? null
      : html`<p>
          <a
            href="${site.baseUrl}/?${new URLSearchParams({ q: view.query, after: view.nextCursor }).toString()}"
            >Next results</a
          >
        </p>`;
  const scope = view.signedIn
    ? 'the datasets your account may read'
    : 'public datasets (sign in through the API for more)';

  const main = html`<h1>${site.catalogTitle}</h1>
    <form class="search" method="get" action="${site.baseUrl}/">
      <label for="q">Search ${scope}:</label><br />
      <input
        type="search"
        id="q"
        name="q"
        value="${view.query}"
        placeholder="kitchen temperature"
      />
      <button type="submit">Search</button>
    </form>
    <p>${view.totalCount} dataset${view.totalCount === 1 ? '' : 's'} found.</p>
    <ul class="results">
      ${results}
    </ul>
    ${next}
    <h2>For machines</h2>
    <ul>
      <li>
        <a href="${site.baseUrl}/catalog">DCAT catalog</a> (JSON-LD or Turtle, paged with Hydra)
      </li>
      <li><a href="${site.baseUrl}/graphql">GraphQL API</a></li>
    </ul>`;

  return renderPage({
    title: view.query === '' ? 'Search' : `Search: ${view.query}`,
    baseUrl: site.baseUrl,
    catalogTitle: site.catalogTitle,
    main,
  });
}
