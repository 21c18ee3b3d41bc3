import {
  buildMeasurementDataset,
  measurementDatasetKey,
  parseFieldType,
} from './influx-measurement-dataset';

describe('measurementDatasetKey', () => {
  it.each([
    ['telegraf', 'cpu', 'telegraf/cpu'],
    ['a/b', 'c', 'a%2Fb/c'],
    ['a', 'b/c', 'a/b%2Fc'],
    ['100%', 'x', '100%25/x'],
    ['db', 'line "A"', 'db/line "A"'],
  ])('writes %s and %s as %s', (container, measurement, key) => {
    expect(measurementDatasetKey(container, measurement)).toBe(key);
  });
});

describe('parseFieldType', () => {
  it.each([
    ['float', 'float'],
    ['double', 'float'],
    ['integer', 'integer'],
    ['long', 'integer'],
    ['unsigned', 'unsigned'],
    ['unsignedLong', 'unsigned'],
    ['string', 'string'],
    ['boolean', 'boolean'],
    ['dateTime:RFC3339', undefined],
  ])('reads %s as %s', (text, type) => {
    expect(parseFieldType(text)).toBe(type);
  });
});

describe('buildMeasurementDataset', () => {
  it('builds properties, keywords and details', () => {
    const dataset = buildMeasurementDataset({
      schema: {
        container: 'lab',
        measurement: 'bioreactor',
        fields: [
          { key: 'temperature_c', types: ['float'] },
          { key: 'state', types: ['string', 'integer'] },
          { key: 'humidity_pct', types: ['float'] },
        ],
        tagKeys: [{ key: 'reactor', cardinality: 2 }],
        firstTimestamp: '2026-01-05T00:00:00Z',
        seriesCount: 2,
      },
      containerLabel: 'database',
      serverUrl: 'http://influx:8086/',
      distributions: [],
      details: { database: 'lab' },
    });

    expect(dataset).toEqual({
      key: 'lab/bioreactor',
      kind: 'influx-measurement',
      title: 'bioreactor',
      description:
        'InfluxDB measurement "bioreactor" in database "lab" on http://influx:8086/, with 3 fields and 1 tag key.',
      keywords: ['InfluxDB', 'bioreactor', 'Temperature', 'RelativeHumidity'],
      properties: [
        {
          name: 'temperature_c',
          datatypes: ['xsd:double'],
          unit: 'Cel',
          unitSourceText: 'c',
          quantityKind: 'Temperature',
        },
        { name: 'state', datatypes: ['xsd:string', 'xsd:integer'] },
        {
          name: 'humidity_pct',
          datatypes: ['xsd:double'],
          unit: '%',
          unitSourceText: 'pct',
          quantityKind: 'RelativeHumidity',
        },
      ],
      temporal: { start: '2026-01-05T00:00:00Z' },
      distributions: [],
      details: {
        database: 'lab',
        measurement: 'bioreactor',
        tagKeys: [{ key: 'reactor', cardinality: 2 }],
        fieldTypes: {
          temperature_c: ['float'],
          state: ['string', 'integer'],
          humidity_pct: ['float'],
        },
        unitOrigins: { temperature_c: 'field-key', humidity_pct: 'field-key' },
        seriesCount: 2,
      },
    });
  });
});
