import type { DataProductEntity } from '../../products/entities/data-product.entity';
import type { QualityStatus } from '../../products/quality-checks';
import type { SiteFacts } from '../descriptions/site-facts';
import { html } from './html-template';
import { renderPage } from './page-layout';

/** One row of the product list: the product and its overall quality status. */
export interface ProductListEntry {
  product: DataProductEntity;
  status: QualityStatus;
}

/** Render `/products`: every active data product with its owner and quality status. */
export function renderDataProductsPage(entries: ProductListEntry[], site: SiteFacts): string {
  const main = html`<h1>Data products</h1>
    ${
      entries.length === 0
        ? html`<p class="muted">No data products are declared yet.</p>`
        : html`<table>
            <tr>
              <th>Product</th>
              <th>Owner</th>
              <th>Quality status</th>
            </tr>
            ${entries.map(
              ({ product, status }) =>
                html`<tr>
                  <td><a href="${site.landingPageOf(product.pid)}">${product.title}</a></td>
                  <td>${product.ownerName} (${product.ownerKind})</td>
                  <td>${status}</td>
                </tr>`,
            )}
          </table>`
    }`;
  return renderPage({
    title: 'Data products',
    baseUrl: site.baseUrl,
    catalogTitle: site.catalogTitle,
    main,
  });
}
