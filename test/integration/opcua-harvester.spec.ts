import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { AttributeIds, DataType, OPCUAClient, StatusCodes, UserTokenType } from 'node-opcua';
import type { UserIdentityInfo } from 'node-opcua';

import type { HarvestedDataset, HarvestSnapshot } from '../../src/harvest/harvest.types';
import { OpcuaHarvester } from '../../src/harvest/opcua/opcua.harvester';
import type { OpcuaHarvesterOptions } from '../../src/harvest/opcua/opcua.harvester';
import { startOpcuaTestServer } from '../../src/harvest/opcua/testing/start-test-server';
import type { OpcuaTestServer } from '../../src/harvest/opcua/testing/start-test-server';
import type { OpcuaSourceConfig } from '../../src/sources/source-config.types';

// A real node-opcua server runs in this process for every test; nothing is mocked.
// Loading the standard NodeSet and creating certificates takes seconds.
jest.setTimeout(120_000);

const repoRoot = resolve(__dirname, '../..');
const corpusDir = resolve(repoRoot, process.env['WEFT_CORPUS_DIR'] ?? '../shared/corpus');
const corpusNodeSet = join(corpusDir, 'opcua/machinery_identification_subset.NodeSet2.xml');
const fixtureNodeSet = join(repoRoot, 'test/fixtures/opcua/bioreactor-model.NodeSet2.xml');

const UA = 'http://opcfoundation.org/UA/';
const DI = 'http://opcfoundation.org/UA/DI/';
const MACHINERY = 'http://opcfoundation.org/UA/Machinery/';
const SITE = 'urn:weft:opcua-test-server';
const USER = { username: 'steward', password: 'opcua-test-password-1' };
const PASSWORD_ENV = 'WEFT_TEST_OPCUA_PASSWORD';

const harvesterOptions: OpcuaHarvesterOptions = {
  pkiDirectory: join(tmpdir(), 'weft-opcua-client-pki-test'),
  connectTimeoutMs: 5000,
  connectAttempts: 2,
  retryDelayMs: 100,
  requestTimeoutMs: 10_000,
};

function sourceConfig(
  endpointUrl: string,
  overrides: Partial<OpcuaSourceConfig> = {},
): OpcuaSourceConfig {
  return {
    id: 'lab-opcua',
    kind: 'opcua',
    endpointUrl,
    securityMode: 'None',
    securityPolicy: 'None',
    maxNodes: 10_000,
    intervalSeconds: 0,
    enabled: true,
    ...overrides,
  };
}

async function harvest(
  config: OpcuaSourceConfig,
  options: OpcuaHarvesterOptions = {},
): Promise<HarvestSnapshot> {
  const harvester = new OpcuaHarvester(config, { ...harvesterOptions, ...options });
  try {
    return await harvester.harvest(new AbortController().signal);
  } finally {
    await harvester.close();
  }
}

function datasetByKey(snapshot: HarvestSnapshot, key: string): HarvestedDataset {
  const dataset = snapshot.datasets.find((candidate) => candidate.key === key);
  if (dataset === undefined) {
    throw new Error(`no dataset ${key}; keys: ${snapshot.datasets.map((d) => d.key).join(', ')}`);
  }
  return dataset;
}

function variable(dataset: HarvestedDataset, name: string): Record<string, unknown> {
  const variables = dataset.details['variables'] as Record<string, Record<string, unknown>>;
  return variables[name] ?? {};
}

describe('OpcuaHarvester against a node-opcua server', () => {
  let server: OpcuaTestServer;
  let snapshot: HarvestSnapshot;

  beforeAll(async () => {
    process.env[PASSWORD_ENV] = USER.password;
    server = await startOpcuaTestServer({
      nodesetFiles: [corpusNodeSet],
      withSimulatedValues: true,
      users: [USER],
    });
    snapshot = await harvest(sourceConfig(server.endpointUrl));
  });

  afterAll(async () => {
    await server.stop();
  });

  it('loads the required DI model', () => {
    expect(server.loadedNodeSets.map((file) => file.split('/').pop())).toEqual([
      'Opc.Ua.NodeSet2.xml',
      'Opc.Ua.Di.NodeSet2.xml',
      'machinery_identification_subset.NodeSet2.xml',
    ]);
    expect(server.missingModels).toEqual([]);
  });

  it('harvests every node group', () => {
    expect(snapshot.issues).toEqual([]);
    expect(snapshot.complete).toBe(true);
    expect(snapshot.sourceKind).toBe('opcua');
    expect(snapshot.harvester).toBe('weft-opcua-harvester/0.1.0');
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual([
      `nsu=${UA};i=23470`,
      `nsu=${DI};i=6094`,
      `nsu=${SITE};s=Bioreactor1`,
      `nsu=${SITE};s=Bioreactor1.Identification`,
    ]);
  });

  it('records the server namespaces', () => {
    expect(snapshot.sourceDetails['namespaceArray']).toEqual([
      UA,
      'urn:weft:opcua-test-server:application',
      DI,
      MACHINERY,
      SITE,
    ]);
    expect(snapshot.sourceDetails['buildInfo']).toMatchObject({
      productName: 'Weft OPC UA test server',
    });
    expect(snapshot.sourceDetails['browseRoot']).toBe(`nsu=${UA};i=85`);
  });

  it('maps bioreactor units and ranges', () => {
    const bioreactor = datasetByKey(snapshot, `nsu=${SITE};s=Bioreactor1`);

    expect(bioreactor.title).toBe('Bioreactor1');
    expect(bioreactor.description).toBe('Stirred-tank bioreactor in lab 2.14');
    expect(bioreactor.properties).toEqual([
      {
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
      },
      {
        name: 'pH',
        label: 'pH',
        description: 'Broth pH',
        datatypes: ['xsd:double'],
        unit: '[pH]',
        unitSourceText: 'pH',
        quantityKind: 'PH',
        minimum: 0,
        maximum: 14,
        observedCount: 0,
      },
      {
        name: 'StirrerSpeed',
        label: 'StirrerSpeed',
        description: 'Stirrer speed',
        datatypes: ['xsd:double'],
        unit: '/min',
        unitSourceText: 'r/min',
        quantityKind: 'RotationalVelocity',
        minimum: 0,
        maximum: 1500,
        observedCount: 0,
      },
      {
        name: 'TemperatureSetpoint',
        label: 'TemperatureSetpoint',
        description: 'Temperature setpoint of the controller',
        datatypes: ['xsd:double'],
        unit: 'Cel',
        unitSourceText: '°C',
        quantityKind: 'Temperature',
        minimum: 4,
        maximum: 80,
        observedCount: 0,
      },
      {
        name: 'BatchId',
        label: 'BatchId',
        description: 'Identifier of the running batch',
        datatypes: ['xsd:string'],
        observedCount: 0,
      },
    ]);
  });

  it('records types, units, access levels', () => {
    const bioreactor = datasetByKey(snapshot, `nsu=${SITE};s=Bioreactor1`);
    const temperature = variable(bioreactor, 'Temperature');
    const setpoint = variable(bioreactor, 'TemperatureSetpoint');

    expect(temperature['nodeId']).toBe(`nsu=${SITE};s=Bioreactor1.Temperature`);
    expect(temperature['dataType']).toBe(`nsu=${UA};i=11`);
    expect(temperature['typeDefinition']).toBe(`nsu=${UA};i=2368`);
    expect(temperature['referenceType']).toBe('HasComponent');
    expect(temperature['valueRank']).toBe(-1);
    expect(temperature['unece']).toBe('CEL');
    expect(temperature['engineeringUnits']).toEqual({
      namespaceUri: 'http://www.opcfoundation.org/UA/units/un/cefact',
      unitId: 4408652,
      displayName: '°C',
      description: 'degree Celsius',
    });
    expect(temperature['accessLevelNames']).toEqual(['CurrentRead']);
    expect(setpoint['accessLevelNames']).toEqual(['CurrentRead', 'CurrentWrite']);
    expect(setpoint['userAccessLevelNames']).toEqual(['CurrentRead']);
  });

  it('maps the companion-spec Identification', () => {
    const identification = datasetByKey(snapshot, `nsu=${SITE};s=Bioreactor1.Identification`);

    expect(identification.details['typeDefinition']).toBe(`nsu=${MACHINERY};i=1012`);
    expect(identification.details['browseName']).toEqual({
      namespaceUri: DI,
      name: 'Identification',
    });
    expect(
      identification.properties.map((property) => [property.name, property.datatypes]),
    ).toEqual([
      ['ProductInstanceUri', ['xsd:string']],
      ['Location', ['xsd:string']],
    ]);
    expect(variable(identification, 'ProductInstanceUri')['browseName']).toEqual({
      namespaceUri: DI,
      name: 'ProductInstanceUri',
    });
    expect(variable(identification, 'Location')['browseName']).toEqual({
      namespaceUri: MACHINERY,
      name: 'Location',
    });
  });

  it('offers one opcua distribution', () => {
    const bioreactor = datasetByKey(snapshot, `nsu=${SITE};s=Bioreactor1`);

    expect(bioreactor.distributions).toHaveLength(1);
    expect(bioreactor.distributions[0]?.key).toBe('opcua');
    expect(bioreactor.distributions[0]?.accessUrl).toBe(server.endpointUrl);
    expect(bioreactor.distributions[0]?.accessQuery?.split('\n')).toEqual([
      `nsu=${SITE};s=Bioreactor1.Temperature`,
      `nsu=${SITE};s=Bioreactor1.pH`,
      `nsu=${SITE};s=Bioreactor1.StirrerSpeed`,
      `nsu=${SITE};s=Bioreactor1.TemperatureSetpoint`,
      `nsu=${SITE};s=Bioreactor1.BatchId`,
    ]);
  });

  it('writes no namespace index', () => {
    for (const dataset of snapshot.datasets) {
      expect(dataset.key).not.toMatch(/ns=\d/);
    }
    expect(JSON.stringify(snapshot.datasets)).not.toMatch(/ns=\d/);
  });

  it('sees user write access', async () => {
    const userSnapshot = await harvest(
      sourceConfig(server.endpointUrl, {
        username: USER.username,
        password: { env: PASSWORD_ENV },
      }),
    );
    const bioreactor = datasetByKey(userSnapshot, `nsu=${SITE};s=Bioreactor1`);

    expect(userSnapshot.issues).toEqual([]);
    expect(variable(bioreactor, 'TemperatureSetpoint')['userAccessLevelNames']).toEqual([
      'CurrentRead',
      'CurrentWrite',
    ]);
  });

  it('rejects anonymous writes', async () => {
    const siteIndex = server.namespaceArray().indexOf(SITE);
    const write = async (
      identity: UserIdentityInfo,
      variableName = 'TemperatureSetpoint',
    ): Promise<string> => {
      const nodeId = `ns=${siteIndex};s=Bioreactor1.${variableName}`;
      const client = OPCUAClient.create({
        endpointMustExist: false,
        connectionStrategy: { maxRetry: 0 },
      });
      await client.connect(server.endpointUrl);
      try {
        const session = await client.createSession(identity);
        const status = await session.write({
          nodeId,
          attributeId: AttributeIds.Value,
          value: { value: { dataType: DataType.Double, value: 40 } },
        });
        await session.close();
        return status.name;
      } finally {
        await client.disconnect();
      }
    };

    expect(await write({ type: UserTokenType.Anonymous })).toBe(
      StatusCodes.BadUserAccessDenied.name,
    );
    expect(await write({ type: UserTokenType.Anonymous }, 'Temperature')).toBe(
      StatusCodes.BadUserAccessDenied.name,
    );

    const user: UserIdentityInfo = {
      type: UserTokenType.UserName,
      userName: USER.username,
      password: USER.password,
    };
    expect(await write(user)).toBe(StatusCodes.Good.name);
    expect(await write(user, 'Temperature')).toBe(StatusCodes.BadNotWritable.name);
  });

  it('reports a wrong password', async () => {
    process.env['WEFT_TEST_OPCUA_WRONG'] = 'not-the-password';
    const failed = await harvest(
      sourceConfig(server.endpointUrl, {
        username: USER.username,
        password: { env: 'WEFT_TEST_OPCUA_WRONG' },
      }),
    );

    expect(failed.datasets).toEqual([]);
    expect(failed.complete).toBe(false);
    expect(failed.issues).toHaveLength(1);
    expect(failed.issues[0]?.severity).toBe('error');
    expect(failed.issues[0]?.subject).toBe(server.endpointUrl);
    expect(failed.issues[0]?.message).toContain('after 1 attempt: BadUserAccessDenied');
    expect(failed.issues[0]?.message).not.toContain('not-the-password');
  });

  it('stops at maxNodes with a warning', async () => {
    const partial = await harvest(sourceConfig(server.endpointUrl, { maxNodes: 5 }));

    expect(partial.complete).toBe(false);
    expect(partial.sourceDetails['browsedNodes']).toBe(5);
    expect(partial.issues.map((issue) => issue.severity)).toEqual(['warning']);
    expect(partial.issues[0]?.message).toContain('browse stopped at maxNodes 5');
  });

  it('browses from a configured root', async () => {
    const rooted = await harvest(
      sourceConfig(server.endpointUrl, { browseRoot: `nsu=${SITE};s=Bioreactor1` }),
    );

    expect(rooted.datasets.map((dataset) => dataset.key)).toEqual([
      `nsu=${SITE};s=Bioreactor1`,
      `nsu=${SITE};s=Bioreactor1.Identification`,
    ]);
  });

  it('reports an unknown browse root', async () => {
    const rooted = await harvest(
      sourceConfig(server.endpointUrl, { browseRoot: `nsu=${SITE};s=NoSuchNode` }),
    );

    expect(rooted.complete).toBe(false);
    expect(rooted.issues[0]?.severity).toBe('error');
    expect(rooted.issues[0]?.message).toContain(
      `browse root nsu=${SITE};s=NoSuchNode cannot be read`,
    );
  });

  it('resolves when the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const harvester = new OpcuaHarvester(sourceConfig(server.endpointUrl), harvesterOptions);

    const aborted = await harvester.harvest(controller.signal);

    expect(aborted.complete).toBe(false);
    expect(aborted.issues[0]?.severity).toBe('error');
    expect(aborted.issues[0]?.message).toContain('aborted');
  });
});

describe('OpcuaHarvester server certificate trust', () => {
  let server: OpcuaTestServer;
  let serverPki: string;
  let serverCertificate: string;
  let unencrypted: HarvestSnapshot;

  beforeAll(async () => {
    serverPki = mkdtempSync(join(tmpdir(), 'weft-opcua-server-pki-'));
    server = await startOpcuaTestServer({ pkiDirectory: serverPki });
    serverCertificate = join(serverPki, 'own/certs/certificate.pem');
    unencrypted = await harvest(sourceConfig(server.endpointUrl, { maxNodes: 50 }));
    expect(unencrypted.datasets.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await server.stop();
    rmSync(serverPki, { recursive: true, force: true });
  });

  /** Harvests with SignAndEncrypt from a client PKI folder of its own, so no trust carries over. */
  async function harvestEncrypted(overrides: Partial<OpcuaSourceConfig>): Promise<HarvestSnapshot> {
    const clientPki = mkdtempSync(join(tmpdir(), 'weft-opcua-client-pki-'));
    try {
      return await harvest(
        sourceConfig(server.endpointUrl, {
          securityMode: 'SignAndEncrypt',
          securityPolicy: 'Basic256Sha256',
          maxNodes: 50,
          ...overrides,
        }),
        { pkiDirectory: clientPki },
      );
    } finally {
      rmSync(clientPki, { recursive: true, force: true });
    }
  }

  it('rejects an unknown server certificate', async () => {
    const snapshot = await harvestEncrypted({});

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0]?.message).toMatch(
      new RegExp(
        `^cannot connect to ${server.endpointUrl} after 1 attempt: .*BadCertificateUntrusted.*; ` +
          "Weft does not trust the server's certificate: set serverCertificateFile to it " +
          `\\(node-opcua left a copy in ${tmpdir()}/weft-opcua-client-pki-\\w+/rejected\\), ` +
          'or set trustUnknownServerCertificate to true$',
      ),
    );
  });

  it('trusts the configured server certificate', async () => {
    const snapshot = await harvestEncrypted({ serverCertificateFile: serverCertificate });

    expect(snapshot.issues).toEqual(unencrypted.issues);
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual(
      unencrypted.datasets.map((dataset) => dataset.key),
    );
  });

  it('accepts unknown certificates when enabled', async () => {
    const snapshot = await harvestEncrypted({ trustUnknownServerCertificate: true });

    expect(snapshot.issues).toEqual(unencrypted.issues);
    expect(snapshot.datasets.map((dataset) => dataset.key)).toEqual(
      unencrypted.datasets.map((dataset) => dataset.key),
    );
  });
});

describe('OpcuaHarvester faults', () => {
  it('survives a server restart mid-harvest', async () => {
    const server = await startOpcuaTestServer({
      nodesetFiles: [corpusNodeSet],
      withSimulatedValues: true,
    });
    try {
      let restarted = false;
      const during = await harvest(sourceConfig(server.endpointUrl), {
        browseBatchSize: 2,
        onProgress: async () => {
          if (!restarted) {
            restarted = true;
            await server.restart();
          }
        },
      });

      expect(restarted).toBe(true);
      expect(during.issues.map((issue) => issue.severity)).toEqual(['warning']);
      expect(during.issues[0]?.message).toContain('reconnected once and continued');
      expect(during.complete).toBe(true);
      expect(during.datasets.map((dataset) => dataset.key)).toContain(`nsu=${SITE};s=Bioreactor1`);

      const after = await harvest(sourceConfig(server.endpointUrl));

      expect(after.issues).toEqual([]);
      expect(after.complete).toBe(true);
      expect(after.datasets.map((dataset) => dataset.key)).toEqual(
        during.datasets.map((dataset) => dataset.key),
      );
    } finally {
      await server.stop();
    }
  });

  it('reports a down server', async () => {
    const server = await startOpcuaTestServer({});
    const endpointUrl = server.endpointUrl;
    await server.stop();

    const snapshot = await harvest(sourceConfig(endpointUrl));

    expect(snapshot.datasets).toEqual([]);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.issues).toHaveLength(1);
    expect(snapshot.issues[0]?.severity).toBe('error');
    expect(snapshot.issues[0]?.subject).toBe(endpointUrl);
    expect(snapshot.issues[0]?.message).toContain(
      `cannot connect to ${endpointUrl} after 2 attempts`,
    );
  });

  it('keeps keys across namespace renumbering', async () => {
    const first = await startOpcuaTestServer({
      nodesetFiles: [corpusNodeSet],
      withSimulatedValues: true,
    });
    const second = await startOpcuaTestServer({
      nodesetFiles: [fixtureNodeSet, corpusNodeSet],
      withSimulatedValues: true,
    });
    try {
      expect(first.namespaceArray().indexOf(MACHINERY)).toBe(3);
      expect(second.namespaceArray().indexOf(MACHINERY)).toBe(4);
      expect(first.namespaceArray().indexOf(SITE)).not.toBe(second.namespaceArray().indexOf(SITE));

      const fromFirst = await harvest(sourceConfig(first.endpointUrl));
      const fromSecond = await harvest(sourceConfig(second.endpointUrl));
      const siteKeys = (snapshot: HarvestSnapshot): string[] =>
        snapshot.datasets
          .map((dataset) => dataset.key)
          .filter((key) => key.startsWith(`nsu=${SITE};`));

      expect(siteKeys(fromFirst)).toEqual([
        `nsu=${SITE};s=Bioreactor1`,
        `nsu=${SITE};s=Bioreactor1.Identification`,
      ]);
      expect(siteKeys(fromSecond)).toEqual(siteKeys(fromFirst));
      expect(
        datasetByKey(fromSecond, `nsu=${SITE};s=Bioreactor1.Identification`).details[
          'typeDefinition'
        ],
      ).toBe(`nsu=${MACHINERY};i=1012`);
      expect(datasetByKey(fromSecond, `nsu=${SITE};s=Bioreactor1`).properties).toEqual(
        datasetByKey(fromFirst, `nsu=${SITE};s=Bioreactor1`).properties,
      );
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
