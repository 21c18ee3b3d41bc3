import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';

import { CatalogWriterService } from '../../src/catalog/catalog-writer.service';
import { LicencesService } from '../../src/licences/licences.service';
import { MAX_SITEMAP_URLS } from '../../src/linked-data/sitemap/sitemap.service';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import type { SeededHarvest } from './linked-data.fixtures';
import {
  harvestFixture,
  kitchenClimate,
  STEWARD,
  TEMPERATURE,
  topicDataset,
} from './linked-data.fixtures';

// Sitemaps of the public landing pages: one sitemap for a small site, a
// sitemap index over pages of 50,000 URLs for a large one.

const parser = new XMLParser({ isArray: (name) => ['url', 'sitemap'].includes(name) });

let testApp: TestApp;
let server: App;
let seeded: SeededHarvest;

beforeAll(async () => {
  testApp = await startTestApp({ WEFT_DEFAULT_ACCESS_LEVEL: 'public' });
  const app = testApp.app;
  server = app.getHttpServer();
  seeded = await harvestFixture(
    app,
    'site-broker',
    [
      kitchenClimate(),
      topicDataset('zigbee2mqtt/hall', 'Hall climate', 'Hall', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/lab_freezer', 'Lab freezer', 'Lab', [TEMPERATURE]),
      topicDataset('zigbee2mqtt/old_plug', 'Old smart plug', 'Workshop', []),
    ],
    { startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:05.000Z' },
  );
});

afterAll(async () => {
  await testApp?.close();
});

async function pidOf(naturalKey: string): Promise<string> {
  const rows = await testApp.app
    .get(DataSource)
    .query<Array<{ pid: string }>>('SELECT pid FROM dataset WHERE natural_key = $1', [naturalKey]);
  return rows[0].pid;
}

describe('sitemap of a small site', () => {
  it('lists the home page and the public datasets', async () => {
    const freezer = await pidOf('zigbee2mqtt/lab_freezer');
    const plug = await pidOf('zigbee2mqtt/old_plug');
    await testApp.app.get(LicencesService).setAccessLevel(freezer, 'site', 'lab only', STEWARD);
    await testApp.app.get(CatalogWriterService).withdrawByPid(plug, 'plug removed', STEWARD);

    const response = await request(server).get('/sitemap.xml');
    const urls = parser.parse(response.text).urlset.url as Array<{ loc: string; lastmod?: string }>;

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.text).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(urls.map((url) => url.loc).sort()).toEqual(
      [
        'http://weft.test/',
        await pidOf('zigbee2mqtt/kitchen_climate'),
        await pidOf('zigbee2mqtt/hall'),
      ].sort(),
    );
    for (const url of urls.slice(1)) {
      expect(url.lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    expect(seeded.changes.created).toHaveLength(4);
  });

  it('names the sitemap in robots.txt', async () => {
    const response = await request(server).get('/robots.txt');

    expect(response.status).toBe(200);
    expect(response.text).toBe('User-agent: *\nAllow: /\nSitemap: http://weft.test/sitemap.xml\n');
  });
});

describe('sitemap of a large site', () => {
  beforeAll(async () => {
    // Rows straight into the table: the identifier registry and provenance play no part in sitemaps.
    await testApp.app.get(DataSource).query(
      `INSERT INTO dataset (pid, source_id, natural_key, kind, title, details, access_level,
         first_harvested_at, last_harvested_at, modified_at, created_at)
       SELECT 'http://weft.test/id/bulk' || n, $1, 'bulk/' || n, 'mqtt-topic', 'Bulk ' || n, '{}',
         'public', now(), now(), now(), now() + n * interval '1 microsecond'
       FROM generate_series(1, $2::int) AS n`,
      [seeded.source.id, MAX_SITEMAP_URLS],
    );
  }, 60_000);

  it('becomes a sitemap index', async () => {
    const response = await request(server).get('/sitemap.xml');
    const index = parser.parse(response.text).sitemapindex;

    expect(response.status).toBe(200);
    expect(index.sitemap).toEqual([
      { loc: 'http://weft.test/sitemaps/1.xml' },
      { loc: 'http://weft.test/sitemaps/2.xml' },
    ]);
  });

  it('splits the URLs over the pages', async () => {
    const first = await request(server).get('/sitemaps/1.xml');
    const second = await request(server).get('/sitemaps/2.xml');
    const firstUrls = parser.parse(first.text).urlset.url as Array<{ loc: string }>;
    const secondUrls = parser.parse(second.text).urlset.url as Array<{ loc: string }>;

    // The home page, two datasets of the fixture and 50,000 bulk rows.
    expect(firstUrls).toHaveLength(MAX_SITEMAP_URLS);
    expect(firstUrls[0].loc).toBe('http://weft.test/');
    expect(secondUrls).toHaveLength(3);
    expect(secondUrls.map((url) => url.loc)).toEqual([
      'http://weft.test/id/bulk49998',
      'http://weft.test/id/bulk49999',
      'http://weft.test/id/bulk50000',
    ]);
  });

  it.each(['3.xml', '0.xml', 'one.xml'])('answers 404 for sitemaps/%s', async (file) => {
    const response = await request(server).get(`/sitemaps/${file}`);

    expect(response.status).toBe(404);
  });
});
