import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseSources } from './source-config.parser';
import { sourceReferenceProblems } from './source-references';

describe('sourceReferenceProblems', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'weft-references-'));
    writeFileSync(path.join(directory, 'mqtt.pw'), 'correct horse\n', { mode: 0o600 });
    writeFileSync(path.join(directory, 'empty.pw'), '\n', { mode: 0o600 });
    writeFileSync(path.join(directory, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    mkdirSync(path.join(directory, 'folder'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function sourceOf(entry: Record<string, unknown>) {
    const parsed = parseSources({ sources: [entry] });
    expect(parsed.problems).toEqual([]);
    return parsed.sources[0];
  }

  it('accepts a source whose files exist', () => {
    const source = sourceOf({
      id: 'site-broker',
      kind: 'mqtt',
      url: 'mqtts://127.0.0.1:8883',
      password: { file: path.join(directory, 'mqtt.pw') },
      caFile: path.join(directory, 'ca.pem'),
    });

    expect(sourceReferenceProblems(source)).toEqual([]);
  });

  it('names missing files and variables without secret values', () => {
    delete process.env.WEFT_TEST_REFERENCES_UNSET;
    const source = sourceOf({
      id: 'site-influx',
      kind: 'influxdb-v2',
      url: 'https://127.0.0.1:8086',
      org: 'site',
      token: { env: 'WEFT_TEST_REFERENCES_UNSET' },
      caFile: path.join(directory, 'missing.pem'),
    });

    expect(sourceReferenceProblems(source)).toEqual([
      'source site-influx token: environment variable WEFT_TEST_REFERENCES_UNSET is empty or unset; set it to the secret',
      `source site-influx caFile ${path.join(directory, 'missing.pem')}: does not exist; create it or fix the path`,
    ]);
  });

  it('reports an empty secret file and a folder given as a file', () => {
    const source = sourceOf({
      id: 'lab-db',
      kind: 'postgresql',
      url: 'postgres://weft@127.0.0.1:5432/lab',
      password: { file: path.join(directory, 'empty.pw') },
      caFile: path.join(directory, 'folder'),
    });

    expect(sourceReferenceProblems(source)).toEqual([
      'source lab-db password: the secret is empty; write the secret into it',
      `source lab-db caFile ${path.join(directory, 'folder')}: is not a regular file; point the field at a file`,
    ]);
  });

  it('checks every NodeSet file', () => {
    const readable = path.join(directory, 'ca.pem');
    const missing = path.join(directory, 'Opc.Ua.Missing.NodeSet2.xml');
    const source = sourceOf({ id: 'models', kind: 'opcua-nodeset', files: [readable, missing] });

    expect(sourceReferenceProblems(source)).toEqual([
      `source models files[1] ${missing}: does not exist; create it or fix the path`,
    ]);
  });
});

describe('topic filters in the sources file', () => {
  it('reports each invalid filter with the rule it breaks', () => {
    const parsed = parseSources({
      sources: [
        {
          id: 'site-broker',
          kind: 'mqtt',
          url: 'mqtt://127.0.0.1:1883',
          topics: ['zigbee2mqtt/#', 'tele/#/SENSOR', 'shellies/plus+/status'],
        },
      ],
    });

    expect(parsed.problems).toEqual([
      {
        where: 'sources: sources[0] "site-broker"',
        message:
          'topics entry "tele/#/SENSOR" is not a valid topic filter: \'#\' must be a whole level and the last one (MQTT 4.7.1.2)',
      },
      {
        where: 'sources: sources[0] "site-broker"',
        message:
          'topics entry "shellies/plus+/status" is not a valid topic filter: \'+\' must be a whole level (MQTT 4.7.1.3)',
      },
    ]);
  });
});
