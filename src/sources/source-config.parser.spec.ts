import { parseSources } from './source-config.parser';

describe('parseSources', () => {
  it('keeps valid sources and reports invalid ones', () => {
    const parsed = parseSources({
      sources: [
        {
          id: 'site-broker',
          kind: 'mqtt',
          url: 'mqtts://broker.local:8883',
          topics: ['zigbee2mqtt/#'],
          password: { file: '/etc/weft/mqtt.pw' },
        },
        { id: 'plc', kind: 'opcua', endpointUrl: 'http://plc:4840' },
        { id: 'Influx DB', kind: 'influxdb-v1', url: 'http://influx:8086', password: 'secret' },
        { id: 'x', kind: 'modbus' },
      ],
    });

    expect(parsed.sources.map((source) => source.id)).toEqual(['site-broker']);
    expect(parsed.sources[0]).toEqual({
      id: 'site-broker',
      kind: 'mqtt',
      title: undefined,
      description: undefined,
      place: undefined,
      intervalSeconds: 300,
      enabled: true,
      url: 'mqtts://broker.local:8883',
      username: undefined,
      password: { file: '/etc/weft/mqtt.pw' },
      caFile: undefined,
      topics: ['zigbee2mqtt/#'],
      observeSeconds: 10,
      clientId: undefined,
    });
    expect(parsed.problems).toEqual([
      {
        where: 'sources: sources[1] "plc"',
        message: 'endpointUrl="http://plc:4840" has scheme "http": use opc.tcp',
      },
      {
        where: 'sources: sources[2] "Influx DB"',
        message:
          'id "Influx DB" is invalid: use lower-case letters, digits and dashes (at most 63)',
      },
      {
        where: 'sources: sources[2] "Influx DB"',
        message:
          'password is written in clear: use { file: /path/to/secret } or { env: VARIABLE } instead',
      },
      {
        where: 'sources: sources[3] "x"',
        message:
          'kind "modbus" is invalid: expected one of mqtt, opcua, opcua-nodeset, influxdb-v1, influxdb-v2, postgresql',
      },
    ]);
  });

  it('rejects the id of the derived source', () => {
    const parsed = parseSources({
      sources: [{ id: 'weft-derived', kind: 'influxdb-v1', url: 'http://influx:8086' }],
    });

    expect(parsed.sources).toEqual([]);
    expect(parsed.problems).toEqual([
      {
        where: 'sources: sources[0] "weft-derived"',
        message:
          'id "weft-derived" is reserved for the built-in source of derived datasets: choose another id',
      },
    ]);
  });

  it('rejects a password inside a URL', () => {
    const parsed = parseSources([{ id: 'b', kind: 'mqtt', url: 'mqtt://user:pw@broker:1883' }]);

    expect(parsed.sources).toEqual([]);
    expect(parsed.problems[0]?.message).toBe(
      'url contains a password: remove it from the URL and use the password field with a file or env reference',
    );
  });

  it('rejects duplicate ids', () => {
    const parsed = parseSources([
      { id: 'b', kind: 'opcua-nodeset', files: ['a.xml'] },
      { id: 'b', kind: 'opcua-nodeset', files: ['b.xml'] },
    ]);

    expect(parsed.sources).toHaveLength(1);
    expect(parsed.problems).toEqual([
      {
        where: 'sources: sources[1] "b"',
        message: 'id "b" is used twice: give each source its own id',
      },
    ]);
  });

  it('rejects a document without a list', () => {
    expect(parseSources({ brokers: [] }).problems).toEqual([
      { where: 'sources', message: 'expected a list of sources under the key "sources"' },
    ]);
  });
});
