import type { HarvestedProperty } from '../harvest.types';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import type { PayloadKind } from './payload-schema';
import {
  describeCorpusLines,
  oneDataset,
  property,
  readMqttCorpus,
} from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('tasmota_state_lwt.jsonl');
const { text, integer, double } = property;

const TIME_DESCRIPTION =
  'Device-local time; Tasmota leaves out the UTC offset unless SetOption52 is on.';
const LWT = 'tele/<topic>/LWT';

const TIME: HarvestedProperty = {
  name: 'Time',
  datatypes: ['xsd:dateTime'],
  observedCount: 1,
  description: TIME_DESCRIPTION,
};

/** Wifi.RSSI is Tasmota's 0-100 link quality, Wifi.Signal the RSSI in dBm. */
const RSSI_PERCENT = { unit: '%', quantityKind: 'DimensionlessRatio' };

function tasmota(
  title: string,
  role: string,
  mediaType: string,
  properties: HarvestedProperty[],
  retained = false,
): DatasetFacts {
  return { title, format: 'tasmota', role, retained, mediaType, nonUtf8: false, properties };
}

interface LineCase {
  line: number;
  topic: string;
  retain: boolean;
  kind: PayloadKind;
  dataset: DatasetFacts;
}

const CASES: LineCase[] = [
  {
    line: 4,
    topic: 'tele/tasmota_XXXXXX/STATE',
    retain: false,
    kind: 'json-object',
    dataset: tasmota('tasmota_XXXXXX STATE', 'state', 'application/json', [
      TIME,
      text('Uptime', '0T00:10:11'),
      { ...integer('UptimeSec', 611), unit: 's', quantityKind: 'Time' },
      { ...integer('Heap', 24), unit: 'kB', quantityKind: 'InformationEntropy' },
      text('SleepMode', 'Dynamic'),
      { ...integer('Sleep', 50), unit: 'ms', quantityKind: 'Time' },
      integer('LoadAvg', 19),
      integer('MqttCount', 1),
      text('POWER', 'OFF'),
      integer('Wifi.AP', 1),
      text('Wifi.SSId', '<ssid>'),
      text('Wifi.BSSId', '00:00:5E:00:53:01'),
      integer('Wifi.Channel', 3),
      text('Wifi.Mode', '11n'),
      { ...integer('Wifi.RSSI', 44), ...RSSI_PERCENT },
      { ...integer('Wifi.Signal', -78), unit: 'dB[mW]', quantityKind: 'SignalStrength' },
      integer('Wifi.LinkCount', 1),
      text('Wifi.Downtime', '0T00:00:05'),
    ]),
  },
  {
    line: 5,
    topic: 'tele/tasmota_XXXXXX/SENSOR',
    retain: false,
    kind: 'json-object',
    dataset: tasmota('tasmota_XXXXXX SENSOR', 'state', 'application/json', [
      TIME,
      text('Switch1', 'ON'),
    ]),
  },
  {
    line: 6,
    topic: '<site>/tele/elektronik/control0/STATE',
    retain: false,
    kind: 'json-object',
    // Pretty-printed over several lines; four relays.
    dataset: tasmota('elektronik/control0 STATE', 'state', 'application/json', [
      TIME,
      text('Uptime', '9T09:29:01'),
      { ...double('Vcc', 3.108), unit: 'V', quantityKind: 'Voltage' },
      text('POWER1', 'OFF'),
      text('POWER2', 'ON'),
      text('POWER3', 'OFF'),
      text('POWER4', 'OFF'),
      integer('Wifi.AP', 1),
      text('Wifi.SSId', '<ssid>'),
      text('Wifi.BSSId', '00:00:5E:00:53:02'),
      integer('Wifi.Channel', 1),
      { ...integer('Wifi.RSSI', 100), ...RSSI_PERCENT },
    ]),
  },
  {
    line: 7,
    topic: '<site>/tele/mezzo/zimmer-gross/STATE',
    retain: false,
    kind: 'json-object',
    // A hand-made bad message: Time is no date-time, so it is typed as a string.
    dataset: tasmota('mezzo/zimmer-gross STATE', 'state', 'application/json', [
      { ...text('Time', 'invalid2019-01-10T22:45:41'), description: TIME_DESCRIPTION },
      { ...double('Vcc', 3.177), unit: 'V', quantityKind: 'Voltage' },
      text('POWER', 'invalid'),
      integer('Wifi.AP', 2),
      text('Wifi.SSId', '<ssid>'),
      text('Wifi.BSSId', '00:00:5E:00:53:03'),
      integer('Wifi.Channel', 1),
      { ...integer('Wifi.RSSI', 100), ...RSSI_PERCENT },
    ]),
  },
  {
    line: 8,
    topic: LWT,
    retain: true,
    kind: 'text',
    dataset: tasmota('<topic> LWT', 'availability', 'text/plain', [text('$', 'Online')], true),
  },
  {
    line: 9,
    topic: LWT,
    retain: true,
    kind: 'text',
    dataset: tasmota('<topic> LWT', 'availability', 'text/plain', [text('$', 'Offline')], true),
  },
];

describe('Tasmota STATE and LWT corpus', () => {
  describeCorpusLines(
    MESSAGES,
    CASES.map(({ line, topic, dataset, ...rest }) => oneDataset(line, topic, dataset, rest)),
  );

  describe('whole file', () => {
    const observed = observeOffline(MESSAGES);
    const facts = factsByKey(observed.datasets);

    it('has one dataset per topic', () => {
      expect(Object.keys(facts)).toEqual([
        '<site>/tele/elektronik/control0/STATE',
        '<site>/tele/mezzo/zimmer-gross/STATE',
        LWT,
        'tele/tasmota_XXXXXX/SENSOR',
        'tele/tasmota_XXXXXX/STATE',
      ]);
      expect(observed.issues).toEqual([]);
    });

    it('keeps the last will as a retained availability topic with both values', () => {
      expect(facts[LWT]).toEqual(
        tasmota(
          '<topic> LWT',
          'availability',
          'text/plain',
          [
            {
              name: '$',
              datatypes: ['xsd:string'],
              observedCount: 2,
              enumValues: ['Offline', 'Online'],
            },
          ],
          true,
        ),
      );

      const dataset = observed.datasets.find((candidate) => candidate.key === LWT)!;
      expect(dataset.details).toMatchObject({
        messageCount: 2,
        retainedMessageCount: 2,
        messagesPerMinute: 0,
      });
    });
  });
});
