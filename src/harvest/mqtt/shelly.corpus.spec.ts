import type { HarvestedProperty } from '../harvest.types';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import type { PayloadKind } from './payload-schema';
import {
  describeCorpusLines,
  property,
  readMqttCorpus,
} from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('shelly_gen2_rpc.jsonl');
const { text, flag, integer, double } = property;

const EVENTS = 'shellies/plus1pm/events/rpc';
const ONLINE = 'shellies/plus1pm/online';
const SWITCH_STATUS = 'shellies/plus1pm/status/switch:0';
const SYS_STATUS = 'shellies/plus1pm/status/sys';
const HT_EVENTS = 'shellyplusht-000000000003/events/rpc';
const WEBSOCKET = '(websocket/MQTT RPC channel)';

const TS_DESCRIPTION =
  'Seconds since the Unix epoch, or since boot while the device has not set its clock yet.';

const PLUS_1PM = {
  manufacturer: 'Shelly',
  model: 'shellyplus1pm',
  name: 'shellyplus1pm-000000000002',
  identifiers: ['shellyplus1pm-000000000002'],
};

function timestamp(value: number): HarvestedProperty {
  return { ...double('params.ts', value), description: TS_DESCRIPTION };
}

const PLUS_1PM_HEADER: HarvestedProperty[] = [
  text('src', ['shellyplus1pm-000000000002']),
  text('dst', ['shellies/plus1pm/events']),
  text('method', ['NotifyStatus']),
];

/** `switch:0` status keys, with units from the Shelly API documentation; tF stays in °F. */
const SWITCH_PROPERTIES: HarvestedProperty[] = [
  integer('id', 0),
  text('source', ['init']),
  flag('output'),
  { ...double('apower', 0), unit: 'W', quantityKind: 'Power' },
  { ...double('voltage', 232.7), unit: 'V', quantityKind: 'Voltage' },
  { ...double('current', 0), unit: 'A', quantityKind: 'ElectricCurrent' },
  { ...double('aenergy.total', 0), unit: 'W.h', quantityKind: 'Energy' },
  {
    name: 'aenergy.by_minute[]',
    datatypes: ['xsd:double'],
    observedCount: 3,
    minimum: 0,
    maximum: 0,
    unit: 'mW.h',
    quantityKind: 'Energy',
  },
  integer('aenergy.minute_ts', 1661517385),
  { ...double('temperature.tC', 39.2), unit: 'Cel', quantityKind: 'Temperature' },
  { ...double('temperature.tF', 102.5), unit: '[degF]', quantityKind: 'Temperature' },
];

/** `sys` status keys as plain JSON, before the topic is known to be a Shelly's. */
function sysProperties(withUnits: boolean): HarvestedProperty[] {
  const bytes = withUnits ? { unit: 'B', quantityKind: 'InformationEntropy' } : {};
  return [
    // The masked MAC address is all digits, so it reads as a number sent as a string.
    {
      name: 'mac',
      datatypes: ['xsd:integer'],
      observedCount: 1,
      minimum: 2,
      maximum: 2,
      anomalies: { 'numeric-string': 1 },
    },
    flag('restart_required'),
    text('time', ['14:36']),
    integer('unixtime', 1661517398),
    { ...integer('uptime', 15), ...(withUnits ? { unit: 's', quantityKind: 'Time' } : {}) },
    { ...integer('ram_size', 254968), ...bytes },
    { ...integer('ram_free', 156660), ...bytes },
    { ...integer('fs_size', 458752), ...bytes },
    { ...integer('fs_free', 221184), ...bytes },
    integer('cfg_rev', 8),
    text('available_updates.beta.version', ['0.11.0-beta3']),
  ];
}

interface LineCase {
  line: number;
  topic: string;
  kind: PayloadKind;
  datasets: Record<string, DatasetFacts>;
}

const CASES: LineCase[] = [
  {
    line: 3,
    topic: EVENTS,
    kind: 'json-object',
    // ts 1.61 is seconds since boot, not an epoch time, and the description states that both occur.
    datasets: {
      [EVENTS]: {
        title: 'shellies/plus1pm events',
        format: 'shelly-gen2',
        role: 'event',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: [...PLUS_1PM_HEADER, timestamp(1.61), flag('params.mqtt.connected')],
      },
    },
  },
  {
    line: 4,
    topic: ONLINE,
    kind: 'boolean',
    // Alone, nothing shows that the prefix is a Shelly's.
    datasets: {
      [ONLINE]: {
        title: ONLINE,
        format: 'plain',
        role: 'availability',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [flag('$')],
      },
    },
  },
  {
    line: 5,
    topic: EVENTS,
    kind: 'json-object',
    datasets: {
      [EVENTS]: {
        title: 'shellies/plus1pm events',
        format: 'shelly-gen2',
        role: 'event',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: [
          ...PLUS_1PM_HEADER,
          timestamp(1661517385.44),
          integer('params.switch:0.id', 0),
          { ...double('params.switch:0.voltage', 232.7), unit: 'V', quantityKind: 'Voltage' },
        ],
      },
    },
  },
  {
    line: 6,
    topic: SWITCH_STATUS,
    kind: 'json-object',
    datasets: {
      [SWITCH_STATUS]: {
        title: 'shellies/plus1pm status switch:0',
        format: 'shelly-gen2',
        role: 'state',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        properties: SWITCH_PROPERTIES,
      },
    },
  },
  {
    line: 7,
    topic: EVENTS,
    kind: 'json-object',
    datasets: {
      [EVENTS]: {
        title: 'shellies/plus1pm events',
        format: 'shelly-gen2',
        role: 'event',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: [
          ...PLUS_1PM_HEADER,
          timestamp(1661517398.5),
          text('params.sys.available_updates.beta.version', ['0.11.0-beta3']),
        ],
      },
    },
  },
  {
    line: 8,
    topic: SYS_STATUS,
    kind: 'json-object',
    // `sys` has no component id, so alone it is plain JSON.
    datasets: {
      [SYS_STATUS]: {
        title: SYS_STATUS,
        format: 'json',
        role: 'state',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        properties: sysProperties(false),
      },
    },
  },
  {
    line: 9,
    topic: EVENTS,
    kind: 'json-object',
    datasets: {
      [EVENTS]: {
        title: 'shellies/plus1pm events',
        format: 'shelly-gen2',
        role: 'event',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: [
          ...PLUS_1PM_HEADER,
          timestamp(1661517432.85),
          integer('params.switch:0.id', 0),
          flag('params.switch:0.output'),
          text('params.switch:0.source', ['WS_in']),
        ],
      },
    },
  },
  {
    line: 10,
    topic: HT_EVENTS,
    kind: 'json-object',
    // A sleepy device just after waking: time and unixtime are null.
    datasets: {
      [HT_EVENTS]: {
        title: 'shellyplusht-000000000003 events',
        format: 'shelly-gen2',
        role: 'event',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: {
          manufacturer: 'Shelly',
          model: 'shellyplusht',
          name: 'shellyplusht-000000000003',
          identifiers: ['shellyplusht-000000000003'],
        },
        properties: [
          text('src', ['shellyplusht-000000000003']),
          text('dst', ['shellyplusht-000000000003/events']),
          text('method', ['NotifyFullStatus']),
          timestamp(1680962879.62),
          { name: 'params.ble', datatypes: ['rdf:JSON'], observedCount: 1 },
          flag('params.cloud.connected'),
          integer('params.devicepower:0.id', 0),
          { ...double('params.devicepower:0.battery.V', 0.43), unit: 'V', quantityKind: 'Voltage' },
          {
            ...integer('params.devicepower:0.battery.percent', 0),
            unit: '%',
            quantityKind: 'DimensionlessRatio',
          },
          flag('params.devicepower:0.external.present'),
          { name: 'params.ht_ui', datatypes: ['rdf:JSON'], observedCount: 1 },
          integer('params.humidity:0.id', 0),
          { ...double('params.humidity:0.rh', 42.2), unit: '%', quantityKind: 'RelativeHumidity' },
          flag('params.mqtt.connected'),
          {
            name: 'params.sys.mac',
            datatypes: ['xsd:integer'],
            observedCount: 1,
            minimum: 3,
            maximum: 3,
            anomalies: { 'numeric-string': 1 },
          },
          flag('params.sys.restart_required'),
          { name: 'params.sys.time', datatypes: [], observedCount: 1, anomalies: { null: 1 } },
          { name: 'params.sys.unixtime', datatypes: [], observedCount: 1, anomalies: { null: 1 } },
          { ...integer('params.sys.uptime', 3), unit: 's', quantityKind: 'Time' },
          text('params.sys.wakeup_reason.boot', ['deepsleep_wake']),
          text('params.sys.wakeup_reason.cause', ['status_update']),
          integer('params.sys.wakeup_period', 600),
          integer('params.temperature:0.id', 0),
          { ...double('params.temperature:0.tC', 19.8), unit: 'Cel', quantityKind: 'Temperature' },
          {
            ...double('params.temperature:0.tF', 67.6),
            unit: '[degF]',
            quantityKind: 'Temperature',
          },
        ],
      },
    },
  },
  {
    line: 11,
    topic: WEBSOCKET,
    kind: 'json-object',
    // Recognised by its payload: a Shelly notification on a channel that is not `<id>/events/rpc`.
    datasets: {
      [WEBSOCKET]: {
        title: 'shellyi4g3-000000000004 events',
        format: 'shelly-gen2',
        role: 'event',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: {
          manufacturer: 'Shelly',
          model: 'shellyi4g3',
          name: 'shellyi4g3-000000000004',
          identifiers: ['shellyi4g3-000000000004'],
        },
        properties: [
          text('src', ['shellyi4g3-000000000004']),
          text('dst', ['<client>']),
          text('method', ['NotifyEvent']),
          timestamp(1735821119.25),
          text('params.events[].component', ['sys']),
          text('params.events[].event', ['config_changed']),
          flag('params.events[].restart_required'),
          double('params.events[].ts', 1735821119.25),
          integer('params.events[].cfg_rev', 20),
        ],
      },
    },
  },
];

describe('Shelly Gen2 corpus', () => {
  describeCorpusLines(MESSAGES, CASES);

  describe('whole file', () => {
    const observed = observeOffline(MESSAGES);
    const facts = factsByKey(observed.datasets);

    it('has one dataset per topic', () => {
      expect(Object.keys(facts)).toEqual([
        WEBSOCKET,
        EVENTS,
        ONLINE,
        SWITCH_STATUS,
        SYS_STATUS,
        HT_EVENTS,
      ]);
      expect(observed.issues).toEqual([]);
    });

    it('merges the partial notifications of one device', () => {
      expect(facts[EVENTS].properties).toEqual([
        text('src', ['shellyplus1pm-000000000002'], 4),
        text('dst', ['shellies/plus1pm/events'], 4),
        text('method', ['NotifyStatus'], 4),
        {
          name: 'params.ts',
          datatypes: ['xsd:double'],
          observedCount: 4,
          minimum: 1.61,
          maximum: 1661517432.85,
          description: TS_DESCRIPTION,
        },
        flag('params.mqtt.connected'),
        {
          name: 'params.switch:0.id',
          datatypes: ['xsd:integer'],
          observedCount: 2,
          minimum: 0,
          maximum: 0,
        },
        { ...double('params.switch:0.voltage', 232.7), unit: 'V', quantityKind: 'Voltage' },
        text('params.sys.available_updates.beta.version', ['0.11.0-beta3']),
        flag('params.switch:0.output'),
        text('params.switch:0.source', ['WS_in']),
      ]);
    });

    it('recognises the online topic and the status topics of the device', () => {
      expect(facts[ONLINE]).toEqual({
        title: 'shellies/plus1pm online',
        format: 'shelly-gen2',
        role: 'availability',
        retained: false,
        mediaType: 'text/plain',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: [flag('$')],
      });
      expect(facts[SWITCH_STATUS]).toEqual({
        title: 'shellies/plus1pm status switch:0',
        format: 'shelly-gen2',
        role: 'state',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: SWITCH_PROPERTIES,
      });
      expect(facts[SYS_STATUS]).toEqual({
        title: 'shellies/plus1pm status sys',
        format: 'shelly-gen2',
        role: 'state',
        retained: false,
        mediaType: 'application/json',
        nonUtf8: false,
        device: PLUS_1PM,
        properties: sysProperties(true),
      });
    });

    it('records where the units came from', () => {
      const dataset = observed.datasets.find((candidate) => candidate.key === SWITCH_STATUS)!;

      expect(dataset.details.unitOrigins).toEqual({
        apower: 'format-convention',
        voltage: 'format-convention',
        current: 'format-convention',
        'aenergy.total': 'format-convention',
        'aenergy.by_minute[]': 'format-convention',
        'temperature.tC': 'key-name',
        'temperature.tF': 'key-name',
      });
    });
  });
});
