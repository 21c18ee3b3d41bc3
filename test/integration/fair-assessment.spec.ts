import path from 'node:path';

import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';

import type { HarvestedDataset, HarvestedProperty } from '../../src/harvest/harvest.types';
import { FairAssessmentService } from '../../src/fair/fair-assessment.service';
import type { FairAssessment } from '../../src/fair/fair-assessment.service';
import { runFairCommand } from '../../src/fair/fair.command';
import { LicencesService } from '../../src/licences/licences.service';
import { corpusDir } from '../support/corpus';
import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';
import { harvestFixture, STEWARD, TEMPERATURE, topicDataset } from './linked-data.fixtures';

// FAIR self-assessment of datasets curated to miss one thing each: a
// licence, units, or the record of the harvest run that created them. The
// site uses w3id.org identifiers, and the DCAT-AP check runs against the
// official DCAT-AP 3 shapes from the corpus.

const SHAPES_DIR = path.join(corpusDir(), 'fair/dcat-ap-3');
const PID_BASE = 'https://w3id.org/weft-test/';

const HUMIDITY: HarvestedProperty = {
  name: 'humidity',
  datatypes: ['xsd:double'],
  unit: '%',
  unitSourceText: '%',
  quantityKind: 'RelativeHumidity',
  minimum: 41,
  maximum: 58.5,
  observedCount: 120,
};

/** Build a dataset with everything a harvest can give: description, keywords, device, time span, units. */
function climateDataset(topic: string, title: string): HarvestedDataset {
  return {
    ...topicDataset(topic, title, 'Kitchen', [TEMPERATURE, HUMIDITY]),
    description: `${title}: temperature and relative humidity from a Zigbee sensor.`,
    keywords: ['climate', 'kitchen'],
    device: { manufacturer: 'Aqara', model: 'WSDCGQ11LM', name: topic.split('/')[1] },
    temporal: { start: '2025-03-01T08:00:00.000Z', end: '2025-03-01T10:00:00.000Z' },
  };
}

/** Build a plug whose power and voltage came without units. */
function unitlessPlug(): HarvestedDataset {
  return {
    ...topicDataset('zigbee2mqtt/plug_no_units', 'Plug without units', 'Kitchen', [
      { name: 'power', datatypes: ['xsd:double'], minimum: 0, maximum: 1200, observedCount: 40 },
      { name: 'voltage', datatypes: ['xsd:double'], minimum: 228, maximum: 236, observedCount: 40 },
    ]),
    description: 'A smart plug that reports numbers without units.',
  };
}

let testApp: TestApp;
let server: App;
const pids = { complete: '', noLicence: '', noUnits: '', noProvenance: '', siteOnly: '' };

beforeAll(async () => {
  testApp = await startTestApp({
    WEFT_DEFAULT_ACCESS_LEVEL: 'public',
    WEFT_PID_BASE: PID_BASE,
    WEFT_DCAT_AP_SHAPES_DIR: SHAPES_DIR,
    WEFT_PUBLISHER_TYPE: 'Company',
  });
  const app = testApp.app;
  server = app.getHttpServer();

  await harvestFixture(
    app,
    'site-broker',
    [
      climateDataset('zigbee2mqtt/complete', 'Complete climate sensor'),
      climateDataset('zigbee2mqtt/no_licence', 'Unlicensed climate sensor'),
      climateDataset('zigbee2mqtt/no_provenance', 'Climate sensor without provenance'),
      climateDataset('zigbee2mqtt/lab', 'Lab climate sensor'),
      unitlessPlug(),
    ],
    { startedAt: '2025-03-01T10:00:00.000Z', endedAt: '2025-03-01T10:00:05.000Z' },
  );
  pids.complete = await pidOf('zigbee2mqtt/complete');
  pids.noLicence = await pidOf('zigbee2mqtt/no_licence');
  pids.noUnits = await pidOf('zigbee2mqtt/plug_no_units');
  pids.noProvenance = await pidOf('zigbee2mqtt/no_provenance');
  pids.siteOnly = await pidOf('zigbee2mqtt/lab');

  const licences = app.get(LicencesService);
  for (const pid of [pids.complete, pids.noUnits, pids.noProvenance, pids.siteOnly]) {
    await licences.assign(pid, { licenceId: 'CC-BY-4.0' }, 'Site operator', 'open data', STEWARD);
  }
  await licences.setAccessLevel(pids.siteOnly, 'site', 'lab data stays on site', STEWARD);
  // A dataset whose creating harvest run is not on record, as after an import from an older catalog.
  await app.get(DataSource).query(
    `DELETE FROM dataset_change WHERE change_type = 'created'
         AND dataset_id = (SELECT id FROM dataset WHERE pid = $1)`,
    [pids.noProvenance],
  );
}, 60_000);

afterAll(async () => {
  await testApp?.close();
});

async function pidOf(naturalKey: string): Promise<string> {
  const rows = await testApp.app
    .get(DataSource)
    .query<Array<{ pid: string }>>('SELECT pid FROM dataset WHERE natural_key = $1', [naturalKey]);
  return rows[0].pid;
}

async function assess(pid: string): Promise<FairAssessment> {
  return testApp.app.get(FairAssessmentService).assess(pid, { viewer: STEWARD, signedIn: true });
}

function statuses(assessment: FairAssessment): Record<string, string> {
  return Object.fromEntries(assessment.metrics.map((metric) => [metric.id, metric.status]));
}

function metric(assessment: FairAssessment, id: string): FairAssessment['metrics'][number] {
  const found = assessment.metrics.find((candidate) => candidate.id === id);
  if (found === undefined) {
    throw new Error(`metric ${id} is missing from the assessment`);
  }
  return found;
}

const ALL_PASS = {
  'FsF-F1-01D': 'pass',
  'FsF-F1-02D': 'pass',
  'FsF-F2-01M': 'pass',
  'FsF-F3-01M': 'pass',
  'FsF-F4-01M': 'pass',
  'FsF-A1-01M': 'pass',
  'FsF-A1-02M': 'pass',
  'FsF-A1-03D': 'pass',
  'FsF-A2-01M': 'pass',
  'FsF-I1-01M': 'pass',
  'FsF-I2-01M': 'pass',
  'FsF-I3-01M': 'pass',
  'FsF-R1-01MD': 'pass',
  'FsF-R1.1-01M': 'pass',
  'FsF-R1.2-01M': 'pass',
  'FsF-R1.3-01M': 'pass',
  'FsF-R1.3-02D': 'pass',
};

describe('FAIR assessment of a complete dataset', () => {
  let assessment: FairAssessment;

  beforeAll(async () => {
    assessment = await assess(pids.complete);
  }, 60_000);

  it('passes every metric', () => {
    expect(statuses(assessment)).toEqual(ALL_PASS);
  });

  it('scores every test the site can check', () => {
    // 25 points in the published metrics, less 2 for tests that need sources outside the site.
    expect(assessment.maxScore).toBe(23);
    expect(assessment.score).toBe(23);
  });

  it('reports the tests it cannot check', () => {
    const notAssessed = assessment.metrics
      .flatMap((result) => result.tests)
      .filter((test) => test.status === 'not-assessed')
      .map((test) => test.id);

    expect(notAssessed).toEqual(['FsF-F4-01M-2', 'FsF-R1-01MD-3']);
  });

  it('gives the evidence for the licence', () => {
    expect(metric(assessment, 'FsF-R1.1-01M').tests).toEqual([
      {
        id: 'FsF-R1.1-01M-1',
        name: 'A licence is given in dct:license',
        maxScore: 1,
        score: 1,
        status: 'passed',
        evidence: ['dct:license https://creativecommons.org/licenses/by/4.0/'],
      },
      {
        id: 'FsF-R1.1-01M-2',
        name: 'The licence is on the SPDX licence list',
        maxScore: 1,
        score: 1,
        status: 'passed',
        evidence: [
          'CC-BY-4.0 (Creative Commons Attribution 4.0 International) is on the SPDX licence list',
        ],
      },
    ]);
  });

  it('validates against the official DCAT-AP shapes', () => {
    expect(metric(assessment, 'FsF-R1.3-01M').tests[0].evidence).toEqual([
      `no violations of the DCAT-AP 3 shapes.ttl and range.ttl in ${SHAPES_DIR}`,
    ]);
  });

  it('finds the persistent identifier and its resolution', () => {
    expect(metric(assessment, 'FsF-F1-02D').tests.map((test) => test.evidence)).toEqual([
      [`identifier ${pids.complete} is a w3id.org permanent identifier`],
      [
        `identifier ${pids.complete} resolves at http://weft.test/id/${pids.complete.slice(PID_BASE.length)}`,
        `GET http://weft.test/id/${pids.complete.slice(PID_BASE.length)} answers 200`,
      ],
    ]);
  });
});

describe('FAIR assessment of incomplete datasets', () => {
  it('reports a missing licence', async () => {
    const assessment = await assess(pids.noLicence);
    const licence = metric(assessment, 'FsF-R1.1-01M');

    expect(statuses(assessment)).toEqual({ ...ALL_PASS, 'FsF-R1.1-01M': 'fail' });
    expect(licence.score).toBe(0);
    expect(licence.tests.map((test) => [test.id, test.status, test.evidence])).toEqual([
      [
        'FsF-R1.1-01M-1',
        'failed',
        [
          'neither the dataset nor its distributions have a dct:license: a steward has to assign one',
        ],
      ],
      ['FsF-R1.1-01M-2', 'failed', ['no licence is assigned']],
    ]);
  });

  it('reports missing units', async () => {
    const assessment = await assess(pids.noUnits);
    const content = metric(assessment, 'FsF-R1-01MD');

    expect(statuses(assessment)).toEqual({ ...ALL_PASS, 'FsF-R1-01MD': 'partial' });
    expect(content.score).toBe(2);
    expect(content.maxScore).toBe(3);
    expect(content.tests[1]).toEqual({
      id: 'FsF-R1-01MD-2',
      name: 'Measured variables are given with their units',
      maxScore: 1,
      score: 0,
      status: 'failed',
      evidence: [
        '2 observable properties, 2 numeric',
        '0 of 2 numeric properties have a UCUM unit (qudt:ucumCode), 0 a QUDT unit IRI',
        'without a unit: power, voltage',
      ],
    });
  });

  it('reports missing provenance', async () => {
    const assessment = await assess(pids.noProvenance);
    const provenance = metric(assessment, 'FsF-R1.2-01M');

    expect(statuses(assessment)).toEqual({ ...ALL_PASS, 'FsF-R1.2-01M': 'partial' });
    expect(provenance.tests.map((test) => [test.id, test.status])).toEqual([
      ['FsF-R1.2-01M-1', 'passed'],
      ['FsF-R1.2-01M-2', 'failed'],
    ]);
    expect(provenance.tests[1].evidence).toEqual([
      expect.stringMatching(/^prov:wasDerivedFrom https:\/\/w3id\.org\/weft-test\//),
      'no prov:wasGeneratedBy naming a prov:Activity: the harvest run that created the dataset is not on record',
    ]);
  });
});

describe('fairAssessment over GraphQL', () => {
  const query = `query ($id: String!) {
    fairAssessment(id: $id) {
      id score maxScore metricsVersion
      metrics { id status score maxScore tests { id status evidence } }
    }
  }`;

  it('reports metric by metric', async () => {
    const response = await request(server)
      .post('/graphql')
      .send({ query, variables: { id: pids.noLicence } });
    const result = response.body.data.fairAssessment;

    expect(response.body.errors).toBeUndefined();
    expect(result.id).toBe(pids.noLicence);
    expect(result.metricsVersion).toBe('0.5');
    expect(result.score).toBe(21);
    expect(result.maxScore).toBe(23);
    expect(
      Object.fromEntries(
        (result.metrics as Array<{ id: string; status: string }>).map((item) => [
          item.id,
          item.status,
        ]),
      ),
    ).toEqual({
      ...Object.fromEntries(Object.keys(ALL_PASS).map((id) => [id, 'PASS'])),
      'FsF-R1.1-01M': 'FAIL',
    });
  });

  it('answers null for a dataset the caller may not read', async () => {
    const response = await request(server)
      .post('/graphql')
      .send({ query, variables: { id: pids.siteOnly } });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.fairAssessment).toBeNull();
  });

  it('rejects text that is no identifier', async () => {
    const response = await request(server)
      .post('/graphql')
      .send({ query, variables: { id: 'kitchen' } });

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      '"kitchen" is not a Weft identifier, or its check character is wrong: copy the dataset\'s identifier again',
    );
  });
});

describe('weft fair', () => {
  it('prints the report metric by metric', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];

    const code = await runFairCommand(testApp.config, [pids.noUnits], {
      stdout: (text) => stdout.push(text),
      stderr: (text) => stderr.push(text),
    });
    const report = stdout.join('');

    expect(code).toBe(0);
    expect(report).toContain(`FAIR assessment of ${pids.noUnits} "Plug without units"`);
    expect(report).toContain('score 22 of 23');
    expect(report).toContain(
      'PARTIAL  FsF-R1-01MD   2/3  Metadata describes the content of the data (R1)',
    );
    expect(report).toContain(
      '  failed       FsF-R1-01MD-2  Measured variables are given with their units',
    );
    expect(report).toContain('      - without a unit: power, voltage');
    expect(report).toContain(
      'PASS     FsF-R1.1-01M  2/2  Metadata includes the licence of the data (R1.1)',
    );
  });

  it('prints JSON with --json', async () => {
    const stdout: string[] = [];

    const code = await runFairCommand(testApp.config, [pids.complete, '--json'], {
      stdout: (text) => stdout.push(text),
      stderr: () => undefined,
    });
    const assessment = JSON.parse(stdout.join(''));

    expect(code).toBe(0);
    expect(assessment.pid).toBe(pids.complete);
    expect(assessment.score).toBe(23);
  });

  it('explains an unknown identifier', async () => {
    const stderr: string[] = [];

    const code = await runFairCommand(testApp.config, ['not-an-id'], {
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
    });

    expect(code).toBe(1);
    expect(stderr.join('')).toContain(
      'weft fair: "not-an-id" is not a Weft identifier, or its check character is wrong',
    );
  });

  it('shows its usage without an identifier', async () => {
    const stderr: string[] = [];

    const code = await runFairCommand(testApp.config, [], {
      stdout: () => undefined,
      stderr: (text) => stderr.push(text),
    });

    expect(code).toBe(2);
    expect(stderr.join('')).toBe('usage: weft fair DATASET_ID [--json]\n');
  });
});
