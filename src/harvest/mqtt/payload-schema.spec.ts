import fc from 'fast-check';

import { orderDatatypes, PayloadSchema } from './payload-schema';
import type { PropertySchema, SchemaLimits } from './payload-schema';

function observeAll(
  payloads: Array<string | Uint8Array>,
  limits: Partial<SchemaLimits> = {},
): PayloadSchema {
  const schema = new PayloadSchema(limits);
  for (const payload of payloads) {
    schema.observe(typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload);
  }
  return schema;
}

function property(schema: PayloadSchema, name: string): PropertySchema | undefined {
  return schema.summarize().properties.find((candidate) => candidate.name === name);
}

describe('PayloadSchema', () => {
  describe('payload kinds', () => {
    it.each([
      ['ON', 'text'],
      ['online', 'text'],
      ['21.5', 'number'],
      ['true', 'boolean'],
      ['null', 'null'],
      ['"21.5"', 'json-string'],
      ['{"a":1}', 'json-object'],
      ['[1,2]', 'json-array'],
      ['', 'empty'],
      ['{"a":1', 'text'],
      ['nan', 'text'],
      ['NaN', 'number'],
    ])('classifies %j as %s', (payload, kind) => {
      expect(new PayloadSchema().observe(Buffer.from(payload, 'utf8'))).toBe(kind);
    });

    it('reports bytes that are not UTF-8 as base64Binary', () => {
      const schema = observeAll([Uint8Array.from([0xff, 0xfe, 0x41, 0x00])]);

      expect(schema.summarize().payloadKinds).toEqual({ binary: 1 });
      expect(property(schema, '$')).toEqual({
        name: '$',
        datatypes: ['xsd:base64Binary'],
        datatypeCounts: { 'xsd:base64Binary': 1 },
        observedCount: 1,
      });
    });

    it('rejects overlong UTF-8 encodings and lone surrogates', () => {
      const overlongSlash = Uint8Array.from([0xc0, 0xaf]);
      const encodedSurrogate = Uint8Array.from([0xed, 0xa0, 0x80]);

      const schema = observeAll([overlongSlash, encodedSurrogate]);

      expect(schema.summarize().payloadKinds).toEqual({ binary: 2 });
    });

    it('counts an empty payload without a property', () => {
      const summary = observeAll(['']).summarize();

      expect(summary.payloadKinds).toEqual({ empty: 1 });
      expect(summary.properties).toEqual([]);
    });

    it('counts payloads over the size limit without parsing them', () => {
      const summary = observeAll(['{"a":1}', 'x'.repeat(65)], { maxPayloadBytes: 64 }).summarize();

      expect(summary.payloadKinds).toEqual({ 'json-object': 1, oversized: 1 });
      expect(summary.properties.map((entry) => entry.name)).toEqual(['a']);
    });
  });

  describe('plain text', () => {
    it('keeps ON/OFF as a string enumeration', () => {
      expect(property(observeAll(['ON', 'OFF', 'ON']), '$')).toEqual({
        name: '$',
        datatypes: ['xsd:string'],
        datatypeCounts: { 'xsd:string': 3 },
        observedCount: 3,
        enumValues: ['OFF', 'ON'],
      });
    });

    it('types a plain number with its range', () => {
      expect(property(observeAll(['21.5', '19', '-3.25']), '$')).toEqual({
        name: '$',
        datatypes: ['xsd:double', 'xsd:integer'],
        datatypeCounts: { 'xsd:double': 2, 'xsd:integer': 1 },
        observedCount: 3,
        minimum: -3.25,
        maximum: 21.5,
      });
    });

    it('counts nan as a double anomaly and None as a null anomaly', () => {
      expect(property(observeAll(['nan', 'None', '20.5']), '$')).toEqual({
        name: '$',
        datatypes: ['xsd:double'],
        datatypeCounts: { 'xsd:double': 2 },
        observedCount: 3,
        minimum: 20.5,
        maximum: 20.5,
        anomalies: { nan: 1, None: 1 },
      });
    });

    it('types non-JSON number text without anomaly', () => {
      expect(property(observeAll(['007']), '$')).toEqual({
        name: '$',
        datatypes: ['xsd:integer'],
        datatypeCounts: { 'xsd:integer': 1 },
        observedCount: 1,
        minimum: 7,
        maximum: 7,
      });
    });
  });

  describe('JSON objects', () => {
    it('records nested keys as dotted paths and arrays as []', () => {
      const schema = observeAll([
        '{"ENERGY":{"Total":[2.813,0.254],"Voltage":235},"Switch1":"ON"}',
      ]);

      expect(schema.summarize().properties).toEqual([
        {
          name: 'ENERGY.Total[]',
          datatypes: ['xsd:double'],
          datatypeCounts: { 'xsd:double': 2 },
          observedCount: 2,
          minimum: 0.254,
          maximum: 2.813,
        },
        {
          name: 'ENERGY.Voltage',
          datatypes: ['xsd:integer'],
          datatypeCounts: { 'xsd:integer': 1 },
          observedCount: 1,
          minimum: 235,
          maximum: 235,
        },
        {
          name: 'Switch1',
          datatypes: ['xsd:string'],
          datatypeCounts: { 'xsd:string': 1 },
          observedCount: 1,
          enumValues: ['ON'],
        },
      ]);
    });

    it('notes integers and floats on one key with xsd:double first', () => {
      const schema = observeAll([
        '{"temperature":18}',
        '{"temperature":18}',
        '{"temperature":18.93}',
      ]);

      expect(property(schema, 'temperature')).toEqual({
        name: 'temperature',
        datatypes: ['xsd:double', 'xsd:integer'],
        datatypeCounts: { 'xsd:integer': 2, 'xsd:double': 1 },
        observedCount: 3,
        minimum: 18,
        maximum: 18.93,
      });
    });

    it('types a number sent as a string and counts the anomaly', () => {
      const schema = observeAll(['{"PAPP":"00780"}', '{"PAPP":"21.5"}']);

      expect(property(schema, 'PAPP')).toEqual({
        name: 'PAPP',
        datatypes: ['xsd:double', 'xsd:integer'],
        datatypeCounts: { 'xsd:integer': 1, 'xsd:double': 1 },
        observedCount: 2,
        minimum: 21.5,
        maximum: 780,
        anomalies: { 'numeric-string': 2 },
      });
    });

    it('counts null, NaN and empty strings as anomalies', () => {
      const schema = observeAll(['{"t":null}', '{"t":NaN}', '{"t":"nan"}', '{"t":""}', '{"t":4}']);

      expect(property(schema, 't')).toEqual({
        name: 't',
        datatypes: ['xsd:double', 'xsd:integer', 'xsd:string'],
        datatypeCounts: { 'xsd:double': 2, 'xsd:string': 1, 'xsd:integer': 1 },
        observedCount: 5,
        minimum: 4,
        maximum: 4,
        anomalies: { null: 1, NaN: 1, nan: 1, '""': 1 },
      });
      expect(schema.summarize().nonStandardJson).toBe(1);
    });

    it('types ISO 8601 times as xsd:dateTime', () => {
      const schema = observeAll([
        '{"Time":"2019-01-10T22:15:52","last":"2019-08-05T11:27:15+02:00","bad":"invalid2019-01-10T22:45:41"}',
      ]);

      expect(property(schema, 'Time')?.datatypes).toEqual(['xsd:dateTime']);
      expect(property(schema, 'last')?.datatypes).toEqual(['xsd:dateTime']);
      expect(property(schema, 'bad')?.datatypes).toEqual(['xsd:string']);
      expect(property(schema, 'Time')?.enumValues).toBeUndefined();
    });

    it('records empty containers as rdf:JSON', () => {
      const schema = observeAll(['{"ble":{},"scenes":[]}']);

      expect(property(schema, 'ble')?.datatypes).toEqual(['rdf:JSON']);
      expect(property(schema, 'scenes')?.datatypes).toEqual(['rdf:JSON']);
    });

    it('records nothing from a payload that is not valid JSON', () => {
      const summary = observeAll(['{"a":1,"b":']).summarize();

      expect(summary.payloadKinds).toEqual({ text: 1 });
      expect(summary.properties.map((entry) => entry.name)).toEqual(['$']);
    });
  });

  describe('limits', () => {
    it('drops enumerations with too many values', () => {
      const payloads = Array.from({ length: 21 }, (_, index) => `{"s":"v${index}"}`);

      expect(property(observeAll(payloads), 's')?.enumValues).toBeUndefined();
      expect(property(observeAll(payloads.slice(0, 20)), 's')?.enumValues).toHaveLength(20);
    });

    it('drops enumerations with long values', () => {
      expect(property(observeAll([`{"s":"${'x'.repeat(65)}"}`]), 's')?.enumValues).toBeUndefined();
    });

    it('caps the number of paths per topic and counts the rest', () => {
      const schema = observeAll(['{"a":1,"b":2,"c":3,"d":4}', '{"e":5,"a":6}'], { maxPaths: 3 });
      const summary = schema.summarize();

      expect(summary.properties.map((entry) => entry.name)).toEqual(['a', 'b', 'c']);
      expect(summary.pathsDropped).toBe(2);
      expect(property(schema, 'a')?.observedCount).toBe(2);
    });

    it('records containers below the depth limit as rdf:JSON', () => {
      const summary = observeAll(['{"a":{"b":{"c":{"d":1}}}}'], { maxDepth: 2 }).summarize();

      expect(summary.properties.map((entry) => [entry.name, entry.datatypes])).toEqual([
        ['a.b', ['rdf:JSON']],
      ]);
      expect(summary.depthLimitHits).toBe(1);
    });
  });

  describe('orderDatatypes', () => {
    it('ranks by count and puts xsd:double before xsd:integer', () => {
      const counts = new Map([
        ['xsd:string', 3],
        ['xsd:integer', 2],
        ['xsd:double', 2],
      ] as const);

      expect(orderDatatypes(counts)).toEqual(['xsd:double', 'xsd:integer', 'xsd:string']);
    });
  });

  describe('hostile input', () => {
    const limits: SchemaLimits = {
      maxPaths: 50,
      maxDepth: 8,
      maxKeyLength: 32,
      maxEnumValues: 20,
      maxEnumValueLength: 64,
      maxPayloadBytes: 64 * 1024,
    };

    function checkCaps(schema: PayloadSchema): void {
      const summary = schema.summarize();
      expect(summary.properties.length).toBeLessThanOrEqual(limits.maxPaths);
      expect(summary.inferenceErrors).toBe(0);
      for (const entry of summary.properties) {
        expect(entry.enumValues?.length ?? 0).toBeLessThanOrEqual(limits.maxEnumValues);
        // Each path level is a key cut to maxKeyLength characters plus an ellipsis (escaping may double it), or `[]`.
        expect(entry.name.length).toBeLessThanOrEqual(
          (limits.maxDepth + 1) * (2 * limits.maxKeyLength + 4),
        );
      }
    }

    it('never throws on random bytes', () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 256 }), { maxLength: 8 }), (payloads) => {
          const schema = new PayloadSchema(limits);
          for (const payload of payloads) {
            schema.observe(payload);
          }
          checkCaps(schema);
        }),
        { numRuns: 500 },
      );
    });

    it('never throws on random JSON', () => {
      fc.assert(
        fc.property(fc.array(fc.json({ maxDepth: 12 }), { maxLength: 8 }), (texts) => {
          checkCaps(observeAll(texts, limits));
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on serialised arbitrary values', () => {
      const serialised = fc
        .anything({ maxDepth: 6, withNullPrototype: true, withBigInt: false })
        .map((value) => {
          try {
            return JSON.stringify(value) ?? String(value);
          } catch {
            return String(value);
          }
        });

      fc.assert(
        fc.property(fc.array(serialised, { maxLength: 8 }), (texts) => {
          checkCaps(observeAll(texts, limits));
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on deeply nested payloads', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 10_000 }),
          fc.constantFrom('{"k":', '['),
          (depth, opener) => {
            const closer = opener === '[' ? ']' : '}';
            const text = opener.repeat(depth) + '1' + closer.repeat(depth);
            const schema = observeAll([text], limits);

            checkCaps(schema);
            expect(schema.summarize().payloadKinds).toEqual(
              opener === '[' ? { 'json-array': 1 } : { 'json-object': 1 },
            );
          },
        ),
        { numRuns: 50 },
      );
    });

    it('never throws on huge and many keys', () => {
      fc.assert(
        fc.property(
          fc.array(fc.string({ minLength: 0, maxLength: 2_000 }), { minLength: 1, maxLength: 200 }),
          (keys) => {
            const payload = JSON.stringify(
              Object.fromEntries(keys.map((key, index) => [key, index])),
            );
            checkCaps(observeAll([payload], limits));
          },
        ),
        { numRuns: 100 },
      );
    });
  });
});
