import type { FabricQueryEntity } from '../../fabric/provenance/fabric-query.entity';
import type { DataServiceEntity } from '../../catalog/entities/data-service.entity';
import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { DistributionEntity } from '../../catalog/entities/distribution.entity';
import type { SourceSystemEntity } from '../../catalog/entities/source-system.entity';
import type { HarvestRunEntity } from '../../provenance/harvest-run.entity';
import type { SiteFacts } from '../descriptions/site-facts';
import type { TombstoneFacts } from '../descriptions/tombstone.description';
import type { JsonLdNode } from '../json-ld/json-ld.types';
import type { HtmlValue, SafeHtml } from './html-template';
import { html, urlLink } from './html-template';
import type { Alternates } from './page-layout';
import { factList, formatTime, renderPage } from './page-layout';

interface EntityPage {
  kind: string;
  title: string;
  pid: string;
  facts: Array<[string, HtmlValue]>;
  extra?: SafeHtml;
  alternates: Alternates;
  site: SiteFacts;
}

function renderEntityPage(page: EntityPage): string {
  const main = html`<p class="muted">${page.kind}</p>
    <h1>${page.title}</h1>
    <p>Identifier: <a href="${page.site.landingPageOf(page.pid)}">${page.pid}</a></p>
    ${factList(page.facts)} ${page.extra}
    <h2>Machine-readable metadata</h2>
    <p>
      <a href="${page.alternates.jsonLd}">JSON-LD</a> ·
      <a href="${page.alternates.turtle}">Turtle</a> ·
      <a href="${page.alternates.nTriples}">N-Triples</a>
    </p>`;
  return renderPage({
    title: page.title,
    baseUrl: page.site.baseUrl,
    catalogTitle: page.site.catalogTitle,
    alternates: page.alternates,
    main,
  });
}

function pidLink(site: SiteFacts, pid: string | null | undefined, text?: string): HtmlValue {
  return pid === null || pid === undefined
    ? null
    : html`<a href="${site.landingPageOf(pid)}">${text ?? pid}</a>`;
}

export function renderDistributionPage(
  distribution: DistributionEntity,
  dataset: DatasetEntity,
  service: DataServiceEntity | null,
  alternates: Alternates,
  site: SiteFacts,
): string {
  return renderEntityPage({
    kind: 'Distribution',
    title: distribution.title,
    pid: distribution.pid,
    facts: [
      ['Distribution of', pidLink(site, dataset.pid, dataset.title)],
      ['Access URL', urlLink(distribution.accessUrl)],
      ['Media type', distribution.mediaType],
      ['Format', distribution.format],
      [
        'Query or subscription',
        distribution.accessQuery === null ? null : html`<code>${distribution.accessQuery}</code>`,
      ],
      ['Data service', service === null ? null : pidLink(site, service.pid, service.title)],
      ['Description', distribution.description],
    ],
    alternates,
    site,
  });
}

export function renderSourcePage(
  source: SourceSystemEntity,
  service: DataServiceEntity | null,
  alternates: Alternates,
  site: SiteFacts,
): string {
  return renderEntityPage({
    kind: 'Source system',
    title: source.title,
    pid: source.pid,
    facts: [
      ['Source id', html`<code>${source.sourceKey}</code>`],
      ['Kind', source.kind],
      ['Status', source.status],
      ['Description', source.description],
      ['Place', source.place],
      ['Data service', service === null ? null : pidLink(site, service.pid, service.title)],
      [
        'Last harvest',
        source.lastHarvestAt === null
          ? null
          : `${formatTime(source.lastHarvestAt)} (${source.lastHarvestStatus ?? 'unknown'})`,
      ],
    ],
    alternates,
    site,
  });
}

export function renderDataServicePage(
  service: DataServiceEntity,
  sourcePid: string | null,
  alternates: Alternates,
  site: SiteFacts,
): string {
  return renderEntityPage({
    kind: 'Data service',
    title: service.title,
    pid: service.pid,
    facts: [
      ['Endpoint URL', urlLink(service.endpointUrl)],
      ['Conforms to', service.conformsTo === null ? null : urlLink(service.conformsTo)],
      [
        'Endpoint description',
        service.endpointDescription === null ? null : urlLink(service.endpointDescription),
      ],
      ['Source system', pidLink(site, sourcePid)],
    ],
    alternates,
    site,
  });
}

export function renderActivityPage(
  run: HarvestRunEntity,
  sourcePid: string | null,
  prov: JsonLdNode,
  alternates: Alternates,
  site: SiteFacts,
): string {
  return renderEntityPage({
    kind: 'Harvest run (PROV-O activity)',
    title: `Harvest run of ${formatTime(run.startedAt) ?? 'unknown time'}`,
    pid: run.pid,
    facts: [
      ['Source system', pidLink(site, sourcePid)],
      ['Status', run.status],
      ['Trigger', run.trigger],
      ['Harvester', run.harvester],
      ['Started', formatTime(run.startedAt)],
      ['Ended', formatTime(run.endedAt)],
      ['Datasets created', run.datasetsCreated],
      ['Datasets updated', run.datasetsUpdated],
      ['Datasets unchanged', run.datasetsUnchanged],
      ['Datasets withdrawn', run.datasetsWithdrawn],
      ['Error', run.error],
    ],
    extra: html`<h2>PROV-O record</h2>
      <pre>${JSON.stringify(prov, null, 2)}</pre>`,
    alternates,
    site,
  });
}

/** Render the page of a withdrawn identifier: what it named, when and why it was withdrawn. */
export function renderTombstonePage(
  facts: TombstoneFacts,
  alternates: Alternates,
  site: SiteFacts,
): string {
  const main = html`<p class="muted">Withdrawn ${facts.entityType}</p>
    <h1>${facts.title ?? facts.pid}</h1>
    <p class="notice">
      This ${facts.entityType} was withdrawn on
      ${formatTime(facts.withdrawnAt)}${facts.reason === null ? '.' : html`: ${facts.reason}.`} Its
      identifier stays reserved and is never reused.
    </p>
    ${factList([
      ['Identifier', facts.pid],
      [
        'Key in the source',
        facts.naturalKey === null ? null : html`<code>${facts.naturalKey}</code>`,
      ],
      ['Source system', pidLink(site, facts.sourcePid)],
      ['First harvested', formatTime(facts.issued)],
      ['Withdrawn', formatTime(facts.withdrawnAt)],
      ['Reason', facts.reason],
    ])}
    <h2>Machine-readable metadata</h2>
    <p>
      <a href="${alternates.jsonLd}">JSON-LD</a> · <a href="${alternates.turtle}">Turtle</a> ·
      <a href="${alternates.nTriples}">N-Triples</a>
    </p>`;
  return renderPage({
    title: `Withdrawn: ${facts.title ?? facts.pid}`,
    baseUrl: site.baseUrl,
    catalogTitle: site.catalogTitle,
    alternates,
    main,
  });
}

/** The page of a data query recorded by the fabric: what was asked, of which datasets, and its PROV-O record. */
export function renderQueryActivityPage(
  query: FabricQueryEntity,
  alternates: Alternates,
  site: SiteFacts,
): string {
  return renderEntityPage({
    kind: 'Data query (PROV-O activity)',
    title: `Data query of ${formatTime(query.startedAt) ?? 'unknown time'}`,
    pid: query.pid,
    facts: [
      ['Operation', query.operation],
      ['Status', query.status],
      ['Asked by', query.requestedBy ?? 'anonymous'],
      ['Started', formatTime(query.startedAt)],
      ['Ended', formatTime(query.endedAt)],
      ['Datasets read', query.datasets.map((pid) => pidLink(site, pid))],
      ['Rows returned', query.rowCount],
      ['Result checksum (SHA-256)', query.resultChecksum],
      ['Error', query.error],
    ],
    extra: html`<h2>PROV-O record</h2>
      <pre>${JSON.stringify(query.prov, null, 2)}</pre>`,
    alternates,
    site,
  });
}
