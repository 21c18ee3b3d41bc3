import { join, resolve } from 'node:path';

import type { HarvestedDataset, HarvestSnapshot } from '../harvest.types';
import { importNodeSets } from './nodeset-importer';

const repoRoot = resolve(__dirname, '../../..');
const corpusDir = resolve(repoRoot, process.env['WEFT_CORPUS_DIR'] ?? '../shared/corpus');
const corpusNodeSet = join(corpusDir, 'opcua/machinery_identification_subset.NodeSet2.xml');
const fixtures = join(repoRoot, 'test/fixtures/opcua');

const UA = 'http://opcfoundation.org/UA/';
const MACHINERY = 'http://opcfoundation.org/UA/Machinery/';
const DI = 'http://opcfoundation.org/UA/DI/';
const MODEL = 'urn:weft:test:bioreactor-model';

async function importFiles(...files: string[]): Promise<HarvestSnapshot> {
  return importNodeSets({ sourceId: 'nodeset-test', files });
}

function datasetByKey(snapshot: HarvestSnapshot, key: string): HarvestedDataset {
  const dataset = snapshot.datasets.find((candidate) => candidate.key === key);
  if (dataset === undefined) {
    throw new Error(`no dataset ${key}; keys: ${snapshot.datasets.map((d) => d.key).join(', ')}`);
  }
  return dataset;
}

function variableDetails(dataset: HarvestedDataset, name: string): Record<string, unknown> {
  const variables = dataset.details['variables'] as Record<string, Record<string, unknown>>;
  const details = variables[name];
  if (details === undefined) {
    throw new Error(`no variable ${name} in ${dataset.key}`);
  }
  return details;
}

describe('importNodeSets with the Machinery identification subset', () => {
  let snapshot: HarvestSnapshot;

  beforeAll(async () => {
    snapshot = await importFiles(corpusNodeSet);
  });

  it('keys the node group by URI', () => {
    expect(snapshot.sourceKind).toBe('opcua-nodeset');
    expect(snapshot.harvester).toBe('weft-opcua-nodeset-importer/0.1.0');
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([`nsu=${MACHINERY};i=1012`]);
    expect(snapshot.complete).toBe(true);
  });

  it('maps the ObjectType texts', () => {
    const dataset = datasetByKey(snapshot, `nsu=${MACHINERY};i=1012`);

    expect(dataset.kind).toBe('opcua-node-group');
    expect(dataset.title).toBe('MachineIdentificationType');
    expect(dataset.description).toBe(
      'Contains information about the identification and nameplate of a machine',
    );
    expect(dataset.keywords).toEqual(['OPC UA', 'ObjectType', 'MachineIdentificationType']);
    expect(dataset.details['nodeClass']).toBe('ObjectType');
    expect(dataset.details['browseName']).toEqual({
      namespaceUri: MACHINERY,
      name: 'MachineIdentificationType',
    });
    expect(dataset.details['supertype']).toBe(`nsu=${MACHINERY};i=1004`);
    expect(dataset.details['categories']).toEqual(['Machinery Machine Identification']);
    expect(dataset.details['documentation']).toBe(
      'https://reference.opcfoundation.org/Machinery/v103/docs/8.6',
    );
  });

  it('lists the three properties', () => {
    const dataset = datasetByKey(snapshot, `nsu=${MACHINERY};i=1012`);

    expect(dataset.properties).toEqual([
      {
        name: 'DefaultInstanceBrowseName',
        label: 'DefaultInstanceBrowseName',
        description: 'The default BrowseName for instances of the type.',
        datatypes: ['xsd:string'],
        observedCount: 0,
      },
      {
        name: 'Location',
        label: 'Location',
        description:
          'To be used by end users to store the location of the machine in a scheme specific to the end user. Servers shall support at least 60 Unicode characters for the clients writing this value, this means clients can expect to be able to write strings with a length of 60 Unicode characters into that field.',
        datatypes: ['xsd:string'],
        observedCount: 0,
      },
      {
        name: 'ProductInstanceUri',
        label: 'ProductInstanceUri',
        description:
          'A globally unique resource identifier provided by the manufacturer of the machine',
        datatypes: ['xsd:string'],
        observedCount: 0,
      },
    ]);
  });

  it('resolves BrowseName namespace indexes', () => {
    const dataset = datasetByKey(snapshot, `nsu=${MACHINERY};i=1012`);

    expect(variableDetails(dataset, 'ProductInstanceUri')['browseName']).toEqual({
      namespaceUri: DI,
      name: 'ProductInstanceUri',
    });
    expect(variableDetails(dataset, 'Location')['browseName']).toEqual({
      namespaceUri: MACHINERY,
      name: 'Location',
    });
    expect(variableDetails(dataset, 'DefaultInstanceBrowseName')['browseName']).toEqual({
      namespaceUri: UA,
      name: 'DefaultInstanceBrowseName',
    });
  });

  it('resolves the QualifiedName value namespace', () => {
    const dataset = datasetByKey(snapshot, `nsu=${MACHINERY};i=1012`);
    const details = variableDetails(dataset, 'DefaultInstanceBrowseName');

    expect(details['declaredValue']).toEqual({ namespaceUri: DI, name: 'Identification' });
    expect(details['dataType']).toBe(`nsu=${UA};i=20`);
    expect(details['builtInType']).toBe('QualifiedName');
    expect(details['modellingRule']).toBeUndefined();
  });

  it('decodes access levels and modelling rules', () => {
    const dataset = datasetByKey(snapshot, `nsu=${MACHINERY};i=1012`);
    const location = variableDetails(dataset, 'Location');
    const productInstanceUri = variableDetails(dataset, 'ProductInstanceUri');

    expect(location['accessLevel']).toBe(3);
    expect(location['accessLevelNames']).toEqual(['CurrentRead', 'CurrentWrite']);
    expect(location['modellingRule']).toBe('Optional');
    expect(location['nodeId']).toBe(`nsu=${MACHINERY};i=6029`);
    expect(productInstanceUri['accessLevel']).toBe(1);
    expect(productInstanceUri['accessLevelNames']).toEqual(['CurrentRead']);
    expect(productInstanceUri['modellingRule']).toBe('Mandatory');
    expect(productInstanceUri['typeDefinition']).toBe(`nsu=${UA};i=68`);
  });

  it('warns about each dangling reference', () => {
    const warnings = snapshot.issues.filter((issue) => issue.severity === 'warning');

    expect(snapshot.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(warnings.map((issue) => issue.subject)).toEqual([
      DI,
      `nsu=${MACHINERY};i=1011`,
      `nsu=${MACHINERY};i=1010`,
      `nsu=${MACHINERY};i=1004`,
    ]);
    expect(warnings[1]?.message).toContain(`HasInterface reference from nsu=${MACHINERY};i=1012`);
    expect(warnings[3]?.message).toContain('HasSubtype reference');
    expect(warnings[3]?.message).toContain('the NodeSet was trimmed');
  });

  it('records models and namespaces', () => {
    expect(snapshot.sourceDetails['namespaceUris']).toEqual([MACHINERY, DI]);
    expect(snapshot.sourceDetails['models']).toEqual([
      {
        modelUri: MACHINERY,
        version: '1.03.0',
        publicationDate: '2023-08-01T00:00:00Z',
        requiredModels: [
          { modelUri: UA, version: '1.05.02', publicationDate: '2022-11-01T00:00:00Z' },
          { modelUri: DI, version: '1.04.0', publicationDate: '2022-11-03T00:00:00Z' },
        ],
      },
    ]);
    expect(snapshot.sourceDetails['requiredModels']).toEqual([
      { modelUri: UA, version: '1.05.02', publicationDate: '2022-11-01T00:00:00Z', imported: true },
      { modelUri: DI, version: '1.04.0', publicationDate: '2022-11-03T00:00:00Z', imported: false },
    ]);
    expect(snapshot.sourceDetails['nodeCount']).toBe(4);
  });

  it('writes no namespace index', () => {
    const text = JSON.stringify(snapshot.datasets);

    expect(text).not.toMatch(/ns=\d/);
  });

  it('offers the NodeSet file as distribution', () => {
    const dataset = datasetByKey(snapshot, `nsu=${MACHINERY};i=1012`);

    expect(dataset.distributions).toEqual([
      {
        key: 'nodeset',
        title: 'NodeSet2 file',
        accessUrl: `file://${corpusNodeSet}`,
        mediaType: 'application/xml',
        format: 'OPC UA NodeSet2 XML',
        accessQuery: [
          `nsu=${MACHINERY};i=6030`,
          `nsu=${MACHINERY};i=6029`,
          `nsu=${MACHINERY};i=6015`,
        ].join('\n'),
        description:
          'The NodeSet2 file that defines this node group: its information model, not live values.',
      },
    ]);
  });
});

describe('importNodeSets with the bioreactor fixture', () => {
  let snapshot: HarvestSnapshot;
  let type: HarvestedDataset;

  beforeAll(async () => {
    snapshot = await importFiles(join(fixtures, 'bioreactor-model.NodeSet2.xml'));
    type = datasetByKey(snapshot, `nsu=${MODEL};i=1001`);
  });

  it('imports type and instance cleanly', () => {
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([
      `nsu=${MODEL};s=Bioreactor1`,
      `nsu=${MODEL};i=1001`,
    ]);
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.complete).toBe(true);
  });

  it('names properties by browse path', () => {
    expect(type.properties.map((property) => property.name)).toEqual([
      'Temperature',
      'StirrerSpeed',
      'Phase',
      'Phase.StartedAt',
      'pH',
      'BatchId',
      'Feed',
      'Snapshot',
      'OperatingHours',
      'CleanedInPlace',
    ]);
  });

  it('maps EngineeringUnits CEL and EURange', () => {
    expect(type.properties[0]).toEqual({
      name: 'Temperature',
      label: 'Temperature',
      description: 'Broth temperature',
      datatypes: ['xsd:double'],
      unit: 'Cel',
      unitSourceText: '°C',
      quantityKind: 'Temperature',
      minimum: 0,
      maximum: 150,
      observedCount: 0,
    });

    const details = variableDetails(type, 'Temperature');
    expect(details['unece']).toBe('CEL');
    expect(details['engineeringUnits']).toEqual({
      namespaceUri: 'http://www.opcfoundation.org/UA/units/un/cefact',
      unitId: 4408652,
      displayName: '°C',
      description: 'degree Celsius',
    });
    expect(details['accessLevelNames']).toEqual(['CurrentRead', 'HistoryRead']);
    expect(details['historizing']).toBe(true);
    expect(details['typeDefinition']).toBe(`nsu=${UA};i=2368`);
  });

  it('maps EngineeringUnits RPM on a Float', () => {
    const stirrer = type.properties[1];

    expect(stirrer?.label).toBe('Stirrer speed');
    expect(stirrer?.datatypes).toEqual(['xsd:double']);
    expect(stirrer?.unit).toBe('/min');
    expect(stirrer?.unitSourceText).toBe('r/min');
    expect(stirrer?.quantityKind).toBe('RotationalVelocity');
    expect(stirrer?.maximum).toBe(1500.5);
    expect(variableDetails(type, 'StirrerSpeed')['builtInType']).toBe('Float');
    expect(variableDetails(type, 'StirrerSpeed')['modellingRule']).toBe('Optional');
  });

  it('falls back to unit DisplayName', () => {
    const ph = type.properties[4];

    expect(ph?.unit).toBe('[pH]');
    expect(ph?.unitSourceText).toBe('pH');
    expect(ph?.quantityKind).toBe('PH');
    expect(variableDetails(type, 'pH')['referenceType']).toBe(`nsu=${MODEL};i=4001`);
  });

  it('maps an enumeration with its fields', () => {
    const phase = type.properties[2];

    expect(phase?.datatypes).toEqual(['xsd:integer']);
    expect(phase?.enumValues).toEqual(['Idle', 'Growth', 'Harvest']);
    expect(phase?.description).toBe('Current process phase');
    expect(variableDetails(type, 'Phase')['enumFields']).toEqual([
      { value: 0, name: 'Idle' },
      { value: 1, name: 'Growth' },
      { value: 5, name: 'Harvest' },
    ]);
    expect(variableDetails(type, 'Phase')['dataTypeShape']).toBe('enumeration');
  });

  it('maps the other built-in and structure types', () => {
    const datatypes = Object.fromEntries(
      type.properties.map((property) => [property.name, property.datatypes]),
    );

    expect(datatypes).toEqual({
      Temperature: ['xsd:double'],
      StirrerSpeed: ['xsd:double'],
      Phase: ['xsd:integer'],
      'Phase.StartedAt': ['xsd:dateTime'],
      pH: ['xsd:double'],
      BatchId: ['xsd:string'],
      Feed: ['rdf:JSON'],
      Snapshot: ['xsd:base64Binary'],
      OperatingHours: ['xsd:integer'],
      CleanedInPlace: ['xsd:boolean'],
    });
    expect(variableDetails(type, 'Feed')['dataTypeShape']).toBe('structure');
    expect(variableDetails(type, 'Snapshot')['valueRank']).toBe(1);
    expect(variableDetails(type, 'Snapshot')['arrayDimensions']).toEqual([4]);
    expect(variableDetails(type, 'OperatingHours')['declaredValue']).toBe('18446744073709551615');
    expect(variableDetails(type, 'BatchId')['declaredValue']).toBe('B-0001');
  });

  it('prefers English descriptions', () => {
    expect(type.description).toBe('Stirred-tank bioreactor');
    expect(type.properties[5]?.description).toBe('Chargennummer');
  });

  it('names the instance type definition', () => {
    const instance = datasetByKey(snapshot, `nsu=${MODEL};s=Bioreactor1`);

    expect(instance.title).toBe('Bioreactor 1');
    expect(instance.details['typeDefinition']).toBe(`nsu=${MODEL};i=1001`);
    expect(instance.keywords).toEqual(['OPC UA', 'Object', 'Bioreactor1', 'BioreactorType']);
    expect(instance.properties.map((property) => property.name)).toEqual(['BatchId']);
  });
});

describe('importNodeSets with broken input', () => {
  it('reports malformed XML as error', async () => {
    const file = join(fixtures, 'malformed.NodeSet2.xml');
    const snapshot = await importFiles(file);

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0]?.severity).toBe('error');
    expect(snapshot.issues[0]?.subject).toBe(file);
    expect(snapshot.issues[0]?.message).toContain('not well-formed XML at line 9');
    expect(snapshot.issues[0]?.message).toContain("closing tag 'UAVariable'");
  });

  it('reports a missing file as an error', async () => {
    const file = join(fixtures, 'does-not-exist.NodeSet2.xml');
    const snapshot = await importFiles(file);

    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0]?.severity).toBe('error');
    expect(snapshot.issues[0]?.message).toContain(`cannot read NodeSet file ${file}`);
    expect(snapshot.complete).toBe(false);
  });

  it('imports good files beside bad', async () => {
    const snapshot = await importFiles(join(fixtures, 'malformed.NodeSet2.xml'), corpusNodeSet);

    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([`nsu=${MACHINERY};i=1012`]);
    expect(snapshot.complete).toBe(false);
  });

  it('reports bad nodes and attributes', async () => {
    const file = join(fixtures, 'bad-attributes.NodeSet2.xml');
    const snapshot = await importFiles(file);
    const ns = 'urn:weft:test:bad-attributes';

    expect(snapshot.issues.map((issue) => [issue.severity, issue.subject])).toEqual([
      ['warning', file],
      ['error', file],
      ['error', `${file}#ns=3;i=6002`],
      ['warning', `nsu=${ns};i=6002`],
    ]);
    expect(snapshot.issues[0]?.message).toContain('attribute AccessLevel="read" is not an integer');
    expect(snapshot.issues[1]?.message).toContain('UAVariable 1:Orphan has no NodeId attribute');
    expect(snapshot.issues[2]?.message).toContain('namespace index outside');
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([`nsu=${ns};i=5001`]);
    expect(snapshot.datasets[0]?.properties.map((property) => property.name)).toEqual(['Flow']);
    const pump = datasetByKey(snapshot, `nsu=${ns};i=5001`);
    expect(variableDetails(pump, 'Flow')['accessLevel']).toBe(1);
    expect(snapshot.complete).toBe(false);
  });

  it('reports a DOCTYPE as an error', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'weft-nodeset-'));
    const file = join(dir, 'doctype.NodeSet2.xml');
    await writeFile(
      file,
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><UANodeSet>&a;</UANodeSet>',
    );

    const snapshot = await importFiles(file);

    expect(snapshot.issues[0]?.severity).toBe('error');
    expect(snapshot.issues[0]?.message).toContain('declares a DOCTYPE');
  });
});
