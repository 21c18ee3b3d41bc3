import type { HarvestIssue } from '../harvest.types';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import type { PayloadKind } from './payload-schema';
import { describeCorpusLines, readMqttCorpus } from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('esphome.jsonl');

const CONFIG_TOPIC = 'homeassistant/sensor/bedroom_environment/bedroom_gas/config';
const GAS_STATE = 'bedroom_environment/sensor/bedroom_gas/state';

interface LineCase {
  line: number;
  topic: string;
  retain: boolean;
  kind: PayloadKind;
  /** Every dataset the message yields when it is the only one observed, by key. */
  datasets: Record<string, DatasetFacts>;
  issues: HarvestIssue[];
}

const CASES: LineCase[] = [
  {
    line: 3,
    topic: CONFIG_TOPIC,
    retain: true,
    kind: 'json-object',
    // The configuration is no dataset; it declares the state topic. Its unit is U+03A9 GREEK CAPITAL
    // LETTER OMEGA in the file, the NFC form of U+2126 OHM SIGN; both spellings map to Ohm.
    datasets: {
      [GAS_STATE]: {
        title: 'Bedroom Gas',
        format: 'esphome',
        role: 'state',
        retained: false,
        nonUtf8: false,
        properties: [
          {
            name: '$',
            datatypes: [],
            observedCount: 0,
            unit: 'Ohm',
            unitSourceText: '\u03a9',
            quantityKind: 'Resistance',
            label: 'Bedroom Gas',
          },
        ],
      },
    },
    issues: [],
  },
  {
    line: 4,
    topic: GAS_STATE,
    retain: false,
    kind: 'text',
    datasets: {
      [GAS_STATE]: {
        title: 'bedroom_environment bedroom_gas',
        format: 'esphome',
        role: 'state',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          { name: '$', datatypes: ['xsd:double'], observedCount: 1, anomalies: { nan: 1 } },
        ],
      },
    },
    issues: [],
  },
  {
    line: 5,
    topic: 'bedroom_environment/status',
    retain: true,
    kind: 'text',
    // Alone, nothing shows that the node is an ESPHome node.
    datasets: {
      'bedroom_environment/status': {
        title: 'bedroom_environment/status',
        format: 'plain',
        role: 'availability',
        retained: true,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['online'] },
        ],
      },
    },
    issues: [],
  },
  {
    line: 6,
    topic: 'yambms/sensor/yambms_jk-bms_1_discharging_power/state',
    retain: false,
    kind: 'text',
    datasets: {
      'yambms/sensor/yambms_jk-bms_1_discharging_power/state': {
        title: 'yambms yambms_jk-bms_1_discharging_power',
        format: 'esphome',
        role: 'state',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          { name: '$', datatypes: ['xsd:double'], observedCount: 1, anomalies: { nan: 1 } },
        ],
      },
    },
    issues: [],
  },
  {
    line: 7,
    topic: '<node>/sensor/<name>/state',
    retain: false,
    kind: 'text',
    // ESPHome releases since late 2024 write None for a missing state: no datatype, one anomaly.
    datasets: {
      '<node>/sensor/<name>/state': {
        title: '<node> <name>',
        format: 'esphome',
        role: 'state',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [{ name: '$', datatypes: [], observedCount: 1, anomalies: { None: 1 } }],
      },
    },
    issues: [],
  },
  {
    line: 8,
    topic: '<node>/binary_sensor/<name>/state',
    retain: false,
    kind: 'text',
    datasets: {
      '<node>/binary_sensor/<name>/state': {
        title: '<node> <name>',
        format: 'esphome',
        role: 'state',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['ON'] },
        ],
      },
    },
    issues: [],
  },
];

describe('ESPHome corpus', () => {
  describeCorpusLines(MESSAGES, CASES);

  describe('whole file', () => {
    const observed = observeOffline(MESSAGES);
    const facts = factsByKey(observed.datasets);

    it('folds the discovery configuration into the state topic', () => {
      expect(Object.keys(facts)).toEqual([
        '<node>/binary_sensor/<name>/state',
        '<node>/sensor/<name>/state',
        'bedroom_environment/sensor/bedroom_gas/state',
        'bedroom_environment/status',
        'yambms/sensor/yambms_jk-bms_1_discharging_power/state',
      ]);
      expect(observed.issues).toEqual([]);
    });

    it('gives the gas sensor the unit and name from discovery', () => {
      expect(facts[GAS_STATE]).toEqual({
        title: 'Bedroom Gas',
        format: 'esphome',
        role: 'state',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          {
            name: '$',
            datatypes: ['xsd:double'],
            observedCount: 1,
            anomalies: { nan: 1 },
            unit: 'Ohm',
            unitSourceText: '\u03a9',
            quantityKind: 'Resistance',
            label: 'Bedroom Gas',
          },
        ],
      });

      const dataset = observed.datasets.find((candidate) => candidate.key === GAS_STATE)!;
      expect(dataset.details.discoveryTopics).toEqual([CONFIG_TOPIC]);
      expect(dataset.details.unitOrigins).toEqual({ $: 'discovery' });
    });

    it('recognises the node status as ESPHome availability', () => {
      expect(facts['bedroom_environment/status']).toEqual({
        title: 'bedroom_environment status',
        format: 'esphome',
        role: 'availability',
        retained: true,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['online'] },
        ],
      });

      const dataset = observed.datasets.find(
        (candidate) => candidate.key === 'bedroom_environment/status',
      )!;
      expect(dataset.details.availabilityFor).toEqual([GAS_STATE]);
    });
  });
});
