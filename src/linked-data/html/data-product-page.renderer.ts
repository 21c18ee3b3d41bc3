import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { DataProductEntity } from '../../products/entities/data-product.entity';
import type { ProductQuality } from '../../products/products.service';
import type { SiteFacts } from '../descriptions/site-facts';
import { html } from './html-template';
import type { Alternates } from './page-layout';
import { factList, formatTime, renderPage } from './page-layout';

/** Facts the landing page of a data product shows. */
export interface DataProductPage {
  product: DataProductEntity;
  /** Member datasets the viewer may read. */
  datasets: DatasetEntity[];
  /** Quality checks of the datasets the viewer may read, with the product's overall status. */
  quality: ProductQuality;
  alternates: Alternates;
  site: SiteFacts;
}

/** Render the landing page of a data product: owner, quality status with evidence, contract, datasets. */
export function renderDataProductPage(page: DataProductPage): string {
  const { product, quality, site } = page;
  const contract = product.contract;
  const main = html`<p class="muted">Data product</p>
    <h1>${product.title}</h1>
    <p>Identifier: <a href="${site.landingPageOf(product.pid)}">${product.pid}</a></p>
    ${factList([
      ['Key', html`<code>${product.key}</code>`],
      ['Owner', `${product.ownerName} (${product.ownerKind})`],
      ['Contact', product.ownerContact],
      ['Description', product.description],
      ['Quality status', html`<strong>${quality.status}</strong>`],
      ['Quality evaluated', formatTime(quality.evaluatedAt)],
      [
        'Sampling interval',
        contract.samplingIntervalSeconds === null ? null : `${contract.samplingIntervalSeconds} s`,
      ],
      ['Proposed access level', product.defaultAccessLevel],
    ])}
    <h2>Quality checks</h2>
    ${
      quality.checks.length === 0
        ? html`<p class="muted">No checks: the product has no contract fields or rules yet.</p>`
        : html`<table>
            <tr>
              <th>Check</th>
              <th>Dataset</th>
              <th>Field</th>
              <th>Status</th>
              <th>Evidence</th>
            </tr>
            ${quality.checks.map(
              (check) =>
                html`<tr>
                  <td>${check.check}</td>
                  <td><a href="${site.landingPageOf(check.datasetPid)}">${check.datasetPid}</a></td>
                  <td>${check.field}</td>
                  <td>${check.status}</td>
                  <td>${check.evidence}</td>
                </tr>`,
            )}
          </table>`
    }
    <h2>Contract</h2>
    ${
      contract.fields.length === 0
        ? html`<p class="muted">No fields promised.</p>`
        : html`<table>
            <tr>
              <th>Field</th>
              <th>Dataset</th>
              <th>Datatype</th>
              <th>Unit (UCUM)</th>
              <th>Range</th>
            </tr>
            ${contract.fields.map(
              (field) =>
                html`<tr>
                  <td><code>${field.name}</code></td>
                  <td>${field.dataset ?? 'every member'}</td>
                  <td>${field.datatype}</td>
                  <td>${field.unit}</td>
                  <td>
                    ${
                      field.minimum === null && field.maximum === null
                        ? null
                        : `${field.minimum ?? '-∞'} to ${field.maximum ?? '∞'}`
                    }
                  </td>
                </tr>`,
            )}
          </table>`
    }
    <h2>Datasets</h2>
    <ul>
      ${page.datasets.map(
        (dataset) =>
          html`<li><a href="${site.landingPageOf(dataset.pid)}">${dataset.title}</a></li>`,
      )}
    </ul>
    <h2>Machine-readable metadata</h2>
    <p>
      <a href="${page.alternates.jsonLd}">JSON-LD</a> ·
      <a href="${page.alternates.turtle}">Turtle</a> ·
      <a href="${page.alternates.nTriples}">N-Triples</a>
    </p>`;
  return renderPage({
    title: product.title,
    baseUrl: site.baseUrl,
    catalogTitle: site.catalogTitle,
    alternates: page.alternates,
    main,
  });
}
