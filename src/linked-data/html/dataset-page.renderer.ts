import type { DatasetChangeEntity } from '../../provenance/dataset-change.entity';
import type { HarvestRunEntity } from '../../provenance/harvest-run.entity';
import { unitByUcum } from '../../units/units';
import { accessPolicyText } from '../descriptions/access-policy.text';
import type { DatasetRecord } from '../descriptions/dataset-record';
import type { SiteFacts } from '../descriptions/site-facts';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import type { HtmlValue, SafeHtml } from './html-template';
import { html, jsonForScript, urlLink, webLink } from './html-template';
import type { Alternates } from './page-layout';
import { factList, formatTime, renderPage } from './page-layout';

/** Data for a dataset's landing page. */
export interface DatasetPageView {
  record: DatasetRecord;
  /** Harvest runs that created or changed the dataset, newest first. */
  activities: HarvestRunEntity[];
  /** Changes to the dataset, newest first. */
  history: DatasetChangeEntity[];
  schemaOrg: JsonLdNode;
  alternates: Alternates;
  site: SiteFacts;
}

/** Render the landing page of a dataset for people, with schema.org JSON-LD for search engines. */
export function renderDatasetPage(view: DatasetPageView): string {
  const { dataset } = view.record;
  const main = html`<p class="muted">Dataset</p>
    <h1>${dataset.title}</h1>
    <p>Identifier: <a href="${view.site.landingPageOf(dataset.pid)}">${dataset.pid}</a></p>
    <p>Cite as:</p>
    <p class="citation">${citation(view)}</p>
    ${dataset.description === null ? null : html`<p>${dataset.description}</p>`} ${overview(view)}
    <h2>Properties</h2>
    ${propertiesTable(view.record)}
    <h2>Distributions</h2>
    ${distributionsTable(view.record, view.site)}
    <h2>Provenance</h2>
    ${activitiesTable(view)}
    <h2>History</h2>
    ${historyTable(view.history)}
    <h2>Machine-readable metadata</h2>
    <p>
      <a href="${view.alternates.jsonLd}">JSON-LD</a> ·
      <a href="${view.alternates.turtle}">Turtle</a> ·
      <a href="${view.alternates.nTriples}">N-Triples</a>
    </p>`;

  return renderPage({
    title: dataset.title,
    baseUrl: view.site.baseUrl,
    catalogTitle: view.site.catalogTitle,
    alternates: view.alternates,
    head: html`<script type="application/ld+json">
      ${jsonForScript(view.schemaOrg)}
    </script>`,
    main,
  });
}

/** Build a citation line after the DataCite pattern: publisher (year). title [Data set]. catalog. identifier. */
function citation(view: DatasetPageView): string {
  const { dataset } = view.record;
  const year = dataset.firstHarvestedAt.getUTCFullYear();
  return `${view.site.publisherName} (${year}). ${dataset.title} [Data set]. ${view.site.catalogTitle}. ${dataset.pid}`;
}

function overview(view: DatasetPageView): SafeHtml {
  const { dataset, source, licence } = view.record;
  const licenceValue: HtmlValue =
    licence === null
      ? html`<span class="muted">No licence assigned yet.</span>`
      : html`${webLink(licence.url, licence.name)} (<code>${licence.id}</code>)`;
  const device = dataset.device ?? {};
  const deviceText = ['manufacturer', 'model', 'name']
    .map((key) => device[key])
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .join(' · ');

  return factList([
    ['Licence', licenceValue],
    ['Rights holder', dataset.rightsHolder],
    [
      'Source',
      source === null
        ? null
        : html`<a href="${view.site.landingPageOf(source.pid)}">${source.title}</a>
            (${source.kind})`,
    ],
    ['Place', dataset.place],
    ['Time coverage', timeCoverage(dataset.temporalStart, dataset.temporalEnd)],
    ['Key in the source', html`<code>${dataset.naturalKey}</code>`],
    ['Kind', dataset.kind],
    ['Payload format', dataset.format],
    ['Device', deviceText === '' ? null : deviceText],
    ['Keywords', dataset.keywords.length === 0 ? null : dataset.keywords.join(', ')],
    ['Access', accessPolicyText(dataset)],
    ['Data embargo until', formatTime(dataset.embargoUntil)],
    ['First harvested', formatTime(dataset.firstHarvestedAt)],
    ['Metadata modified', formatTime(dataset.modifiedAt)],
  ]);
}

function timeCoverage(start: Date | null, end: Date | null): string | null {
  if (start === null && end === null) {
    return null;
  }
  return `${formatTime(start) ?? 'unknown'} to ${formatTime(end) ?? 'unknown'}`;
}

function propertiesTable(record: DatasetRecord): SafeHtml {
  if (record.properties.length === 0) {
    return html`<p class="muted">No properties observed.</p>`;
  }
  const rows = record.properties.map((property) => {
    const symbol = property.unit === null ? undefined : unitByUcum(property.unit)?.symbol;
    const unit: HtmlValue =
      property.unit === null
        ? null
        : html`<code>${property.unit}</code
            >${symbol === undefined || symbol === property.unit ? null : ` (${symbol})`}`;
    const quantityKind: HtmlValue =
      property.quantityKind === null
        ? null
        : html`<a
            href="http://qudt.org/vocab/quantitykind/${encodeURIComponent(property.quantityKind)}"
            >${property.quantityKind}</a
          >`;
    return html`<tr>
      <td><code>${property.name}</code></td>
      <td>${property.label}</td>
      <td>${unit}</td>
      <td>${quantityKind}</td>
      <td>${property.datatypes.join(', ')}</td>
      <td>${range(property.minimum, property.maximum)}</td>
      <td>${property.observedCount}</td>
    </tr>`;
  });
  return html`<table>
    <thead>
      <tr>
        <th>Name</th>
        <th>Label</th>
        <th>Unit (UCUM)</th>
        <th>Quantity kind (QUDT)</th>
        <th>Datatypes</th>
        <th>Range seen</th>
        <th>Values seen</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function range(minimum: number | null, maximum: number | null): string | null {
  if (minimum === null && maximum === null) {
    return null;
  }
  return `${minimum ?? '?'} to ${maximum ?? '?'}`;
}

function distributionsTable(record: DatasetRecord, site: SiteFacts): SafeHtml {
  if (record.distributions.length === 0) {
    return html`<p class="muted">No distributions offered.</p>`;
  }
  const rows = record.distributions.map((distribution) => {
    const service = record.accessServices.get(distribution.id);
    return html`<tr>
      <td><a href="${site.landingPageOf(distribution.pid)}">${distribution.title}</a></td>
      <td>${urlLink(distribution.accessUrl)}</td>
      <td>${distribution.mediaType}</td>
      <td>${distribution.format}</td>
      <td>
        ${distribution.accessQuery === null ? null : html`<code>${distribution.accessQuery}</code>`}
      </td>
      <td>
        ${service === undefined ? null : html`<a href="${site.landingPageOf(service.pid)}">${service.title}</a>`}
      </td>
    </tr>`;
  });
  return html`<table>
    <thead>
      <tr>
        <th>Distribution</th>
        <th>Access URL</th>
        <th>Media type</th>
        <th>Format</th>
        <th>Query or subscription</th>
        <th>Data service</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function activitiesTable(view: DatasetPageView): SafeHtml {
  if (view.activities.length === 0) {
    return html`<p class="muted">No harvest runs recorded.</p>`;
  }
  const rows = view.activities.map(
    (run) =>
      html`<tr>
        <td><a href="${view.site.landingPageOf(run.pid)}">${run.pid}</a></td>
        <td>${formatTime(run.startedAt)}</td>
        <td>${formatTime(run.endedAt)}</td>
        <td>${run.status}</td>
        <td>${run.harvester}</td>
        <td>${run.trigger}</td>
      </tr>`,
  );
  return html`<p>Harvest runs (PROV-O activities) that created or changed this dataset:</p>
    <table>
      <thead>
        <tr>
          <th>Harvest run</th>
          <th>Started</th>
          <th>Ended</th>
          <th>Status</th>
          <th>Harvester</th>
          <th>Trigger</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>`;
}

function historyTable(history: DatasetChangeEntity[]): SafeHtml {
  if (history.length === 0) {
    return html`<p class="muted">No changes recorded.</p>`;
  }
  const rows = history.map(
    (change) =>
      html`<tr>
        <td>${formatTime(change.changedAt)}</td>
        <td>${change.changeType}</td>
        <td>${change.changedBy}</td>
        <td>${change.reason}</td>
        <td>${Object.keys(change.changes).join(', ')}</td>
      </tr>`,
  );
  return html`<table>
    <thead>
      <tr>
        <th>When</th>
        <th>Change</th>
        <th>By</th>
        <th>Why</th>
        <th>Fields</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
