import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SelectQueryBuilder } from 'typeorm';

import { ANONYMOUS } from '../../auth/viewer';
import { applyReadableFilter } from '../../catalog/dataset-search';
import { DatasetEntity } from '../../catalog/entities/dataset.entity';
import { LinkedDataSite } from '../linked-data-site.service';
import { escapeXml, XML_DECLARATION } from '../xml/xml-text';

/** URLs one sitemap may list (sitemaps.org protocol 0.9); larger sites get a sitemap index. */
export const MAX_SITEMAP_URLS = 50_000;

const SITEMAP_NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** One sitemap document, or null when the requested sitemap page does not exist. */
export type SitemapDocument = string | null;

/**
 * Sitemaps (https://www.sitemaps.org/protocol.html) of the public landing
 * pages, so search engines and dataset search find them: the home page,
 * then every active public dataset in the order it entered the catalog,
 * with its last modification as `lastmod`. Up to 50,000 URLs,
 * `/sitemap.xml` is the sitemap itself; beyond, it is a sitemap index
 * naming `/sitemaps/1.xml`, `/sitemaps/2.xml` and so on.
 */
@Injectable()
export class SitemapService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly site: LinkedDataSite,
  ) {}

  /** Return `/sitemap.xml`: the only sitemap, or the index of the sitemap pages. */
  async root(): Promise<string> {
    const total = (await this.publicDatasets().getCount()) + 1;
    if (total <= MAX_SITEMAP_URLS) {
      return (await this.page(1)) as string;
    }
    const pages = Math.ceil(total / MAX_SITEMAP_URLS);
    const entries: string[] = [];
    for (let page = 1; page <= pages; page++) {
      entries.push(`<sitemap><loc>${escapeXml(this.pageUrl(page))}</loc></sitemap>`);
    }
    return `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NAMESPACE}">\n${entries.join('\n')}\n</sitemapindex>\n`;
  }

  /** Return sitemap page N (1-based), or null past the last page. The home page opens page 1. */
  async page(page: number): Promise<SitemapDocument> {
    const total = (await this.publicDatasets().getCount()) + 1;
    const pages = Math.max(1, Math.ceil(total / MAX_SITEMAP_URLS));
    if (page < 1 || page > pages) {
      return null;
    }
    const firstUrl = (page - 1) * MAX_SITEMAP_URLS;
    const skip = page === 1 ? 0 : firstUrl - 1;
    const take = page === 1 ? MAX_SITEMAP_URLS - 1 : MAX_SITEMAP_URLS;
    const datasets = await this.publicDatasets()
      .select(['dataset.pid', 'dataset.modifiedAt'])
      .orderBy('dataset.createdAt', 'ASC')
      .addOrderBy('dataset.id', 'ASC')
      .offset(skip)
      .limit(take)
      .getMany();

    const entries = datasets.map(
      (dataset) =>
        `<url><loc>${escapeXml(this.site.landingPageOf(dataset.pid))}</loc>` +
        `<lastmod>${dataset.modifiedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}</lastmod></url>`,
    );
    if (page === 1) {
      entries.unshift(`<url><loc>${escapeXml(`${this.site.facts.baseUrl}/`)}</loc></url>`);
    }
    return `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NAMESPACE}">\n${entries.join('\n')}\n</urlset>\n`;
  }

  /** Return the URL of `/sitemap.xml`. */
  rootUrl(): string {
    return `${this.site.facts.baseUrl}/sitemap.xml`;
  }

  /** Return the URL of sitemap page N. */
  pageUrl(page: number): string {
    return `${this.site.facts.baseUrl}/sitemaps/${page}.xml`;
  }

  private publicDatasets(): SelectQueryBuilder<DatasetEntity> {
    const query = this.dataSource
      .getRepository(DatasetEntity)
      .createQueryBuilder('dataset')
      .where("dataset.status = 'active'");
    // Crawlers read anonymously, so the sitemap lists what an anonymous viewer may read.
    applyReadableFilter(query, ANONYMOUS);
    return query;
  }
}
