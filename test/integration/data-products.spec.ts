import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { HarvestService } from '../../src/harvest/harvest.service';
import { SnapshotWriterService } from '../../src/harvest/ingest/snapshot-writer.service';
import { IdentifiersService } from '../../src/identifiers/identifiers.service';
import { ContractMonitorService } from '../../src/products/contract-monitor.service';
import { DataProductAlertEntity } from '../../src/products/entities/data-product-alert.entity';
import { ProductsService } from '../../src/products/products.service';
import { WebhookDeliveryService } from '../../src/products/webhook-delivery.service';
import type { HarvestRunEntity } from '../../src/provenance/harvest-run.entity';
import { SourcesService } from '../../src/sources/sources.service';
import type { MqttSourceConfig } from '../../src/sources/source-config.types';
import { fetchToken } from '../env/keycloak-token';
import { loadTestEnv } from '../env/load-env';
import { snapshotOf, topicDataset } from '../support/snapshots';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  server: Server;
}

/** Start a loopback HTTP server that records each POST and responds with `status`. */
async function startReceiver(status: number): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks/weft`, received, server };
}

// Data products end to end. Stewards declare them through GraphQL with real
// Keycloak tokens. A real MQTT harvest against the test Mosquitto changes a
// payload between runs: a field disappears and a unit changes. The contract
// checks record alerts with the run's identifier, and the webhook delivery
// posts them to loopback HTTP servers started here, one of which fails.
describe('data products', () => {
  let harness: TestApp;
  let publisher: MqttClient;
  let good: Receiver;
  let failing: Receiver;
  let secretDir: string;
  let source: MqttSourceConfig;
  const tokens: Record<string, string> = {};
  const prefix = `products-${Date.now()}`;
  const topic = `${prefix}/lab/climate`;
  const discoveryTopic = `${prefix}/homeassistant/sensor/lab_climate/temperature/config`;
  const envSecret = randomBytes(24).toString('hex');
  const fileSecret = randomBytes(24).toString('hex');
  const ids: Record<string, string> = {};
  const runs: HarvestRunEntity[] = [];

  const gql = (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const call = request(harness.app.getHttpServer()).post('/graphql').send({ query, variables });
    return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
  };
  const localIdOf = (pid: string) => harness.app.get(IdentifiersService).parse(pid) ?? pid;

  async function publishClimate(payload: object, unitText: string): Promise<void> {
    await publisher.publishAsync(
      discoveryTopic,
      JSON.stringify({
        name: 'Lab temperature',
        unique_id: 'lab_climate_temperature',
        state_topic: topic,
        unit_of_measurement: unitText,
        value_template: '{{ value_json.temperature }}',
        device_class: 'temperature',
      }),
      { retain: true, qos: 1 },
    );
    await publisher.publishAsync(topic, JSON.stringify(payload), { retain: true, qos: 1 });
  }

  /** Harvest with a fresh harvester, so the topic tree holds only the retained messages of now. */
  async function harvestAfresh(): Promise<HarvestRunEntity> {
    await harness.app.get(SourcesService).upsert(source);
    const run = await harness.app.get(HarvestService).runNow('lab-broker', 'demand', 'test');
    runs.push(run);
    return run;
  }

  beforeAll(async () => {
    const env = loadTestEnv();
    process.env.WEFT_TEST_PRODUCTS_READER_SECRET = env.WEFT_TEST_MQTT_READER_PASSWORD;
    process.env.WEFT_WEBHOOK_SECRET_PRODUCT_TEST = envSecret;
    secretDir = mkdtempSync(path.join(tmpdir(), 'weft-products-'));
    writeFileSync(path.join(secretDir, 'hook.secret'), `${fileSecret}\n`, { mode: 0o600 });

    harness = await startTestApp({
      WEFT_OIDC_ISSUER: env.WEFT_TEST_KEYCLOAK_ISSUER,
      WEFT_OIDC_AUDIENCE: env.WEFT_TEST_KEYCLOAK_AUDIENCE,
      WEFT_DEFAULT_ACCESS_LEVEL: 'site',
      WEFT_WEBHOOK_SECRETS_DIR: secretDir,
    });
    for (const role of ['researcher', 'steward'] as const) {
      tokens[role] = await fetchToken(env, role);
    }
    good = await startReceiver(204);
    failing = await startReceiver(500);

    publisher = await mqtt.connectAsync(env.WEFT_TEST_MQTT_URL, {
      username: env.WEFT_TEST_MQTT_USERNAME,
      password: env.WEFT_TEST_MQTT_PASSWORD,
      clientId: `weft-test-products-${process.pid}`,
    });
    await publishClimate({ temperature: 21.5, humidity: 40 }, '°C');
    source = {
      id: 'lab-broker',
      kind: 'mqtt',
      title: 'Lab broker',
      url: env.WEFT_TEST_MQTTS_URL,
      caFile: env.WEFT_TEST_MQTT_CA_FILE,
      username: env.WEFT_TEST_MQTT_READER_USERNAME,
      password: { env: 'WEFT_TEST_PRODUCTS_READER_SECRET' },
      topics: [`${prefix}/#`],
      observeSeconds: 1,
      intervalSeconds: 0,
      enabled: true,
    };
    const first = await harvestAfresh();
    ids.climate = (first.prov['prov:generated'] as string[])[0];
  });

  afterAll(async () => {
    // Clear the retained messages this suite left on the shared broker.
    await publisher?.publishAsync(topic, '', { retain: true, qos: 1 });
    await publisher?.publishAsync(discoveryTopic, '', { retain: true, qos: 1 });
    await publisher?.endAsync();
    await harness?.close();
    good?.server.close();
    failing?.server.close();
    rmSync(secretDir, { recursive: true, force: true });
    delete process.env.WEFT_TEST_PRODUCTS_READER_SECRET;
    delete process.env.WEFT_WEBHOOK_SECRET_PRODUCT_TEST;
  });

  const CREATE = `mutation($input: CreateDataProductInput!) {
    createDataProduct(input: $input) { id key owner { name kind contact } webhookUrl status }
  }`;

  function climateProduct(): Record<string, unknown> {
    return {
      key: 'lab-climate',
      title: 'Lab climate',
      ownerName: 'Lab team',
      ownerKind: 'team',
      ownerContact: 'lab@example.org',
      datasets: [ids.climate],
      contract: {
        fields: [
          { name: 'temperature', datatype: 'xsd:double', unit: 'Cel', minimum: 0, maximum: 40 },
          { name: 'humidity', datatype: 'xsd:double' },
        ],
        samplingIntervalSeconds: 60,
      },
      qualityRules: { maxHarvestAgeSeconds: 3600 },
      webhook: { url: good.url, secretEnv: 'WEFT_WEBHOOK_SECRET_PRODUCT_TEST' },
    };
  }

  it('first harvest catalogues the topic with its unit', async () => {
    expect(runs[0].status).toBe('succeeded');
    expect(runs[0].datasetsCreated).toBe(1);

    const response = await gql(
      'query($id: ID!) { dataset(id: $id) { naturalKey properties { name unit datatypes } } }',
      { id: ids.climate },
      tokens.steward,
    );
    expect(response.body.data.dataset).toEqual({
      naturalKey: topic,
      properties: [
        { name: 'humidity', unit: null, datatypes: ['xsd:integer'] },
        { name: 'temperature', unit: 'Cel', datatypes: ['xsd:double'] },
      ],
    });
  });

  it('anonymous and researcher cannot create products', async () => {
    const anonymous = await gql(CREATE, { input: climateProduct() });
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.errors[0].message).toBe(
      'anonymous requests cannot create data products: sign in with an account that has the steward role',
    );

    const researcher = await gql(CREATE, { input: climateProduct() }, tokens.researcher);
    expect(researcher.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(researcher.body.data).toBeNull();
  });

  it('webhook URL must be http or https', async () => {
    const input = { ...climateProduct(), webhook: { url: 'ftp://127.0.0.1/hook', secretEnv: 'X' } };
    const response = await gql(CREATE, { input }, tokens.steward);

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'webhook.url "ftp://127.0.0.1/hook" uses ftp:: Weft posts alerts only to http or https URLs',
    );
  });

  it('steward creates products with owners', async () => {
    const climate = await gql(CREATE, { input: climateProduct() }, tokens.steward);
    expect(climate.body.errors).toBeUndefined();
    expect(climate.body.data.createDataProduct).toMatchObject({
      key: 'lab-climate',
      owner: { name: 'Lab team', kind: 'team', contact: 'lab@example.org' },
      webhookUrl: good.url,
      status: 'active',
    });
    ids.product = climate.body.data.createDataProduct.id;

    const rates = await gql(
      CREATE,
      {
        input: {
          key: 'lab-rates',
          title: 'Lab message rates',
          ownerName: 'Room B12',
          ownerKind: 'place',
          datasets: [ids.climate],
          contract: { fields: [{ name: 'temperature', unit: 'Cel' }] },
          qualityRules: { minMessagesPerMinute: 1 },
          webhook: { url: failing.url, secretFile: path.join(secretDir, 'hook.secret') },
        },
      },
      tokens.steward,
    );
    expect(rates.body.errors).toBeUndefined();
    ids.rates = rates.body.data.createDataProduct.id;
  });

  it('quality status passes on a healthy harvest', async () => {
    const response = await gql(
      `query($id: ID!) { dataProduct(id: $id) {
        owner { name kind }
        quality { status checks { check dataset field status evidence } }
      } }`,
      { id: ids.product },
      tokens.researcher,
    );
    const product = response.body.data.dataProduct;

    expect(product.owner).toEqual({ name: 'Lab team', kind: 'team' });
    expect(product.quality.status).toBe('PASS');
    expect(
      product.quality.checks.map((check: Record<string, unknown>) => [
        check.check,
        check.field,
        check.status,
      ]),
    ).toEqual([
      ['contract', null, 'PASS'],
      ['range', 'temperature', 'PASS'],
      ['gap', null, 'PASS'],
      ['freshness', null, 'PASS'],
    ]);
    expect(product.quality.checks[1].evidence).toBe('observed 21.5 to 21.5 Cel; contract 0 to 40');
    expect(
      product.quality.checks.every((check: { dataset: string }) => check.dataset === ids.climate),
    ).toBe(true);
  });

  it('retained-only topic fails the rate check', async () => {
    const response = await gql(
      'query($id: ID!) { dataProduct(id: $id) { quality { status checks { check status evidence } } } }',
      { id: ids.rates },
      tokens.steward,
    );
    const quality = response.body.data.dataProduct.quality;

    expect(quality.status).toBe('FAIL');
    expect(quality.checks).toEqual([
      { check: 'contract', status: 'PASS', evidence: 'no open contract breach' },
      {
        check: 'rate',
        status: 'FAIL',
        evidence: '0 messages per minute; limits 1 to ∞ per minute',
      },
    ]);
  });

  it('member datasets follow dataset access', async () => {
    const query = `query($id: ID!) { dataProduct(id: $id) {
      datasets { id } quality { status checks { check } } } }`;
    const anonymous = (await gql(query, { id: ids.product })).body.data.dataProduct;
    const researcher = (await gql(query, { id: ids.product }, tokens.researcher)).body.data
      .dataProduct;

    // The dataset is at the site level: anonymous viewers see the product and its status only.
    expect(anonymous.datasets).toEqual([]);
    expect(anonymous.quality).toEqual({ status: 'PASS', checks: [] });
    expect(researcher.datasets).toEqual([{ id: ids.climate }]);
  });

  it('dataset lists its products', async () => {
    const response = await gql(
      'query($id: ID!) { dataset(id: $id) { products { key owner { name } webhookUrl } } }',
      { id: ids.climate },
      tokens.researcher,
    );

    expect(response.body.data.dataset.products).toEqual([
      { key: 'lab-climate', owner: { name: 'Lab team' }, webhookUrl: null },
      { key: 'lab-rates', owner: { name: 'Room B12' }, webhookUrl: null },
    ]);
  });

  it('breaking harvest records alerts and posts signed webhooks', async () => {
    await publishClimate({ temperature: 70.1 }, '°F');
    const run = await harvestAfresh();
    expect(run.status).toBe('succeeded');
    expect(run.datasetsUpdated).toBe(1);

    const alerts = await gql(
      `query { dataProductAlerts { id product dataset breach field expected actual run resolvedAt } }`,
      {},
      tokens.steward,
    );
    const byKey = (alert: Record<string, string>) => `${alert.product} ${alert.breach}`;
    const list = [...alerts.body.data.dataProductAlerts].sort((left, right) =>
      byKey(left).localeCompare(byKey(right)),
    );
    expect(list.map(({ id: _id, ...rest }: Record<string, unknown>) => rest)).toEqual(
      [
        {
          product: ids.product,
          dataset: ids.climate,
          breach: 'field-missing',
          field: 'humidity',
          expected: 'humidity',
          actual: null,
          run: run.pid,
          resolvedAt: null,
        },
        {
          product: ids.product,
          dataset: ids.climate,
          breach: 'unit-changed',
          field: 'temperature',
          expected: 'Cel',
          actual: '[degF]',
          run: run.pid,
          resolvedAt: null,
        },
        {
          product: ids.rates,
          dataset: ids.climate,
          breach: 'unit-changed',
          field: 'temperature',
          expected: 'Cel',
          actual: '[degF]',
          run: run.pid,
          resolvedAt: null,
        },
      ].sort((left, right) =>
        `${left.product} ${left.breach}`.localeCompare(`${right.product} ${right.breach}`),
      ),
    );

    await harness.app.get(WebhookDeliveryService).idle();

    // The working receiver got one POST per alert of its product, signed with the env secret.
    expect(good.received).toHaveLength(2);
    const bodies = good.received
      .map((entry) => {
        const expected = createHmac('sha256', envSecret).update(entry.body).digest('hex');
        expect(entry.headers['x-weft-signature-256']).toBe(`sha256=${expected}`);
        expect(entry.headers['content-type']).toBe('application/json');
        expect(entry.headers['x-weft-event']).toBe('data-product.contract-breach');
        return JSON.parse(entry.body) as Record<string, unknown>;
      })
      .sort((left, right) =>
        String((left.breach as Record<string, string>).kind).localeCompare(
          String((right.breach as Record<string, string>).kind),
        ),
      );
    const alertIds = Object.fromEntries(
      list
        .filter((alert: Record<string, string>) => alert.product === ids.product)
        .map((alert: Record<string, string>) => [alert.breach, alert.id]),
    );
    const product = {
      id: ids.product,
      key: 'lab-climate',
      title: 'Lab climate',
      owner: { name: 'Lab team', kind: 'team' },
    };
    expect(bodies).toEqual([
      {
        event: 'data-product.contract-breach',
        alert: alertIds['field-missing'],
        detectedAt: bodies[0].detectedAt,
        product,
        dataset: { id: ids.climate },
        breach: { kind: 'field-missing', field: 'humidity', expected: 'humidity', actual: null },
        run: { id: run.pid },
      },
      {
        event: 'data-product.contract-breach',
        alert: alertIds['unit-changed'],
        detectedAt: bodies[1].detectedAt,
        product,
        dataset: { id: ids.climate },
        breach: { kind: 'unit-changed', field: 'temperature', expected: 'Cel', actual: '[degF]' },
        run: { id: run.pid },
      },
    ]);
  });

  it('failing webhook is retried and given up', async () => {
    const response = await gql(
      'query($id: ID) { dataProductAlerts(productId: $id) { deliveryStatus deliveryAttempts deliveryError } }',
      { id: ids.rates },
      tokens.steward,
    );

    expect(response.body.data.dataProductAlerts).toEqual([
      {
        deliveryStatus: 'failed',
        deliveryAttempts: 4,
        deliveryError: 'the receiver responded with HTTP 500',
      },
    ]);
    expect(failing.received).toHaveLength(4);
    const expected = createHmac('sha256', fileSecret)
      .update(failing.received[0].body)
      .digest('hex');
    expect(failing.received[0].headers['x-weft-signature-256']).toBe(`sha256=${expected}`);

    const delivered = await gql(
      'query($id: ID) { dataProductAlerts(productId: $id) { deliveryStatus deliveryAttempts } }',
      { id: ids.product },
      tokens.steward,
    );
    expect(delivered.body.data.dataProductAlerts).toEqual([
      { deliveryStatus: 'delivered', deliveryAttempts: 1 },
      { deliveryStatus: 'delivered', deliveryAttempts: 1 },
    ]);
  });

  it('quality fails while the contract is broken', async () => {
    const response = await gql(
      'query($id: ID!) { dataProduct(id: $id) { quality { status checks { check field status evidence } } } }',
      { id: ids.product },
      tokens.steward,
    );
    const quality = response.body.data.dataProduct.quality;

    expect(quality.status).toBe('FAIL');
    expect(quality.checks.slice(0, 2)).toEqual([
      {
        check: 'contract',
        field: null,
        status: 'FAIL',
        evidence: 'open contract breaches: field-missing humidity; unit-changed temperature',
      },
      {
        check: 'range',
        field: 'temperature',
        status: 'FAIL',
        evidence: 'observed 70.1 to 70.1 [degF]; contract 0 to 40',
      },
    ]);
  });

  it('same breach in the next run raises no new alert', async () => {
    const run = await harness.app.get(HarvestService).runNow('lab-broker', 'demand', 'test');
    await harness.app.get(WebhookDeliveryService).idle();

    expect(run.status).toBe('succeeded');
    const alerts = await gql('query { dataProductAlerts { id } }', {}, tokens.steward);
    expect(alerts.body.data.dataProductAlerts).toHaveLength(3);
    expect(good.received).toHaveLength(2);
  });

  it('kept contract resolves the alerts', async () => {
    await publishClimate({ temperature: 22, humidity: 41 }, '°C');
    const run = await harvestAfresh();

    const alerts = await gql(
      'query { dataProductAlerts { resolvedRun } open: dataProductAlerts(openOnly: true) { id } }',
      {},
      tokens.steward,
    );
    expect(alerts.body.data.open).toEqual([]);
    expect(alerts.body.data.dataProductAlerts).toEqual([
      { resolvedRun: run.pid },
      { resolvedRun: run.pid },
      { resolvedRun: run.pid },
    ]);
  });

  it('alerts are for stewards only', async () => {
    const anonymous = await gql('query { dataProductAlerts { id } }');
    const researcher = await gql('query { dataProductAlerts { id } }', {}, tokens.researcher);

    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(researcher.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('landing page shows owner and quality status', async () => {
    const page = await request(harness.app.getHttpServer())
      .get(`/id/${localIdOf(ids.product)}`)
      .set('Accept', 'text/html')
      .set('Authorization', `Bearer ${tokens.researcher}`);

    expect(page.status).toBe(200);
    expect(page.text).toContain('<dt>Owner</dt>');
    expect(page.text).toContain('Lab team (team)');
    expect(page.text).toContain('<strong>pass</strong>');
    expect(page.text).toContain(topic);
  });

  it('product list shows owners and statuses', async () => {
    const page = await request(harness.app.getHttpServer()).get('/products');

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const rows = [
      ...page.text.matchAll(
        /<tr>\s*<td><a href="([^"]+)">([^<]+)<\/a><\/td>\s*<td>([^<]+)<\/td>\s*<td>([^<]+)<\/td>/g,
      ),
    ].map((match) => match.slice(1));
    expect(rows).toEqual([
      [`http://weft.test/id/${localIdOf(ids.product)}`, 'Lab climate', 'Lab team (team)', 'pass'],
      [
        `http://weft.test/id/${localIdOf(ids.rates)}`,
        'Lab message rates',
        'Room B12 (place)',
        'fail',
      ],
    ]);
  });

  it('JSON-LD uses DPROD and hides unreadable datasets', async () => {
    const get = (token?: string) => {
      const call = request(harness.app.getHttpServer())
        .get(`/id/${localIdOf(ids.product)}`)
        .set('Accept', 'application/ld+json');
      return token === undefined ? call : call.set('Authorization', `Bearer ${token}`);
    };
    const signedIn = (await get(tokens.researcher)).body as Record<string, unknown>;
    const anonymous = (await get()).body as Record<string, unknown>;

    expect(signedIn).toMatchObject({
      '@id': ids.product,
      '@type': 'dprod:DataProduct',
      'dct:title': 'Lab climate',
      'dprod:domain': {
        '@type': 'dprod:Domain',
        'rdfs:label': 'Lab team',
        'weft:domainKind': 'team',
      },
      'dprod:dataProductOwner': { 'foaf:name': 'Lab team' },
      'dprod:outputPort': {
        '@type': 'dcat:DataService',
        'dcat:servesDataset': [{ '@id': ids.climate }],
      },
      'weft:qualityStatus': 'pass',
      'weft:samplingIntervalSeconds': 60,
    });
    expect(
      (anonymous['dprod:outputPort'] as Record<string, unknown>)['dcat:servesDataset'],
    ).toBeUndefined();
  });

  it('steward applies the product access level on request', async () => {
    const update = await gql(
      `mutation($input: UpdateDataProductInput!) { updateDataProduct(input: $input) { defaultAccessLevel } }`,
      { input: { id: ids.product, defaultAccessLevel: 'PUBLIC' } },
      tokens.steward,
    );
    expect(update.body.data.updateDataProduct.defaultAccessLevel).toBe('PUBLIC');

    // Setting the level alone changes no dataset.
    const before = await gql('query($id: ID!) { dataProduct(id: $id) { datasets { id } } }', {
      id: ids.product,
    });
    expect(before.body.data.dataProduct.datasets).toEqual([]);

    const applied = await gql(
      'mutation($input: ApplyDataProductAccessLevelInput!) { applyDataProductAccessLevel(input: $input) }',
      { input: { id: ids.product, reason: 'lab climate is open data' } },
      tokens.steward,
    );
    expect(applied.body.data.applyDataProductAccessLevel).toEqual([ids.climate]);

    const after = await gql(
      'query($id: ID!) { dataProduct(id: $id) { datasets { id accessLevel } } }',
      {
        id: ids.product,
      },
    );
    expect(after.body.data.dataProduct.datasets).toEqual([
      { id: ids.climate, accessLevel: 'PUBLIC' },
    ]);
  });

  it('deleted product answers with a tombstone', async () => {
    const deleted = await gql(
      'mutation($input: DeleteDataProductInput!) { deleteDataProduct(input: $input) { status } }',
      { input: { id: ids.rates, reason: 'merged into lab-climate' } },
      tokens.steward,
    );
    expect(deleted.body.data.deleteDataProduct.status).toBe('deleted');

    const page = await request(harness.app.getHttpServer())
      .get(`/id/${localIdOf(ids.rates)}`)
      .set('Accept', 'application/ld+json');
    expect(page.status).toBe(410);
    const list = await gql('query { dataProducts { key } }');
    expect(list.body.data.dataProducts).toEqual([{ key: 'lab-climate' }]);
  });

  it('withdrawn member raises a withdrawal alert', async () => {
    // A complete snapshot (as OPC UA, InfluxDB and PostgreSQL harvests are)
    // withdraws what it no longer holds; MQTT snapshots never withdraw.
    const steward = {
      subject: 'steward-1',
      username: 'steward',
      roles: ['steward' as const],
      realmRoles: ['steward'],
    };
    const plant = await harness.app.get(SourcesService).upsert({
      id: 'plant-historian',
      kind: 'influxdb-v1',
      title: 'Plant historian',
      url: 'http://127.0.0.1:9/',
      databases: [],
      intervalSeconds: 0,
      enabled: false,
    });
    const writer = harness.app.get(SnapshotWriterService);
    const created = await writer.write(
      plant,
      snapshotOf('plant-historian', [topicDataset('plant/boiler'), topicDataset('plant/pump')]),
      'urn:test:run:1',
    );
    const products = harness.app.get(ProductsService);
    const product = await products.create(
      {
        key: 'plant-boiler',
        title: 'Boiler',
        ownerName: 'Utilities team',
        ownerKind: 'team',
        datasets: created.created,
        contract: { fields: [{ name: 'temperature', unit: 'Cel' }] },
      },
      steward,
    );

    const second = await writer.write(
      plant,
      snapshotOf('plant-historian', [topicDataset('plant/pump')]),
      'urn:test:run:2',
    );
    expect(second.withdrawn).toHaveLength(1);
    await harness.app.get(ContractMonitorService).checkRun({
      source: plant,
      runPid: 'urn:test:run:2',
      harvestedKeys: ['plant/pump'],
      withdrawnPids: second.withdrawn,
      endedAt: new Date('2026-12-01T08:00:10.000Z'),
    });

    const alerts = await products.alerts(product.pid, true, 10, steward);
    expect(
      alerts.map(({ alert }) => [
        alert.datasetPid,
        alert.breach,
        alert.runPid,
        alert.deliveryStatus,
      ]),
    ).toEqual([[second.withdrawn[0], 'dataset-withdrawn', 'urn:test:run:2', 'no-webhook']]);
    const quality = await products.quality(product);
    expect(quality.status).toBe('fail');
    expect(quality.checks.find((check) => check.check === 'availability')).toEqual({
      check: 'availability',
      datasetPid: second.withdrawn[0],
      field: null,
      status: 'fail',
      evidence: 'the dataset is withdrawn from the catalog',
    });
  });

  it('webhook redirect is not followed', async () => {
    const redirecting = createServer((req, res) => {
      req.resume();
      res.writeHead(302, { Location: good.url }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const port = (redirecting.address() as AddressInfo).port;
    const steward = {
      subject: 'steward-1',
      username: 'steward',
      roles: ['steward' as const],
      realmRoles: ['steward'],
    };
    const products = harness.app.get(ProductsService);
    const product = await products.create(
      {
        key: 'redirected',
        title: 'Redirected',
        ownerName: 'Lab team',
        ownerKind: 'team',
        datasets: [],
        webhook: {
          url: `http://127.0.0.1:${port}/`,
          secretEnv: 'WEFT_WEBHOOK_SECRET_PRODUCT_TEST',
        },
      },
      steward,
    );
    const alertId = crypto.randomUUID();
    await harness.app
      .get(DataSource)
      .getRepository(DataProductAlertEntity)
      .insert({
        id: alertId,
        productId: product.id,
        datasetPid: ids.climate,
        breach: 'field-missing',
        field: 'humidity',
        expected: 'humidity',
        actual: null,
        runPid: 'urn:test:run:redirect',
        detectedAt: new Date('2026-12-01T08:00:10.000Z'),
        resolvedAt: null,
        resolvedRunPid: null,
        deliveryStatus: 'pending',
        deliveryAttempts: 0,
        deliveredAt: null,
        deliveryError: null,
      });
    const before = good.received.length;

    const deliveries = harness.app.get(WebhookDeliveryService);
    deliveries.enqueue([alertId]);
    await deliveries.idle();
    redirecting.close();

    const alert = (await products.alerts(product.pid, false, 10, steward))[0].alert;
    expect(alert.deliveryStatus).toBe('failed');
    expect(alert.deliveryAttempts).toBe(4);
    expect(alert.deliveryError).toBe('the receiver responded with HTTP 302');
    expect(good.received.length).toBe(before);
  });

  it('logs never contain the webhook secrets', () => {
    const all = harness.logs.map((line) => JSON.stringify(line)).join('\n');

    expect(all).not.toContain(envSecret);
    expect(all).not.toContain(fileSecret);
    expect(harness.logs.filter((line) => line.msg === 'webhook delivery gave up')).toHaveLength(2);
  });
});
