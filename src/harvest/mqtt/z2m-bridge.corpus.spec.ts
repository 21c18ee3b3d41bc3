import type { ZigbeeBridgeInfo, ZigbeeDevice } from './formats/zigbee2mqtt.recognizer';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import type { PayloadKind } from './payload-schema';
import type { TopicTree } from './topic-tree';
import { describeCorpusLines, readMqttCorpus } from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('z2m_bridge_and_availability.jsonl');

const DESK_LIGHT = 'zigbee2mqtt/Bedroom Desk Light';
const LIVING_ROOM = 'zigbee2mqtt/Living Room temperature, humidity and pressure sensor';
const AVAILABILITY = 'zigbee2mqtt/<device>/availability';

const BRIDGE_INFO: ZigbeeBridgeInfo = { version: '1.33.2', coordinatorType: 'EZSP v8' };

const INTERVIEWED_BULB: ZigbeeDevice = {
  friendlyName: '0x90fd9ffffe000001',
  ieeeAddress: '0x90fd9ffffe000001',
  model: 'LED1624G9',
  vendor: 'IKEA',
  description: 'TRADFRI LED bulb E14/E26/E27 600 lumen, dimmable, color, opal white',
  supported: true,
  exposes: [],
};

/** An unsupported device: no definition, so no model, vendor or units. */
const UNSUPPORTED_SENSOR: ZigbeeDevice = {
  friendlyName: 'my_sensor',
  ieeeAddress: '0x00169a0000000001',
  powerSource: 'Battery',
  supported: false,
  exposes: [],
};

const LIVING_ROOM_FACTS: DatasetFacts = {
  title: 'Living Room temperature, humidity and pressure sensor',
  format: 'zigbee2mqtt',
  role: 'state',
  retained: false,
  mediaType: 'application/json',
  nonUtf8: false,
  // Zigbee2MQTT payloads carry no units; quantity kinds come from unambiguous key names.
  properties: [
    {
      name: 'battery',
      datatypes: ['xsd:integer'],
      observedCount: 1,
      minimum: 100,
      maximum: 100,
      quantityKind: 'DimensionlessRatio',
    },
    {
      name: 'humidity',
      datatypes: ['xsd:double'],
      observedCount: 1,
      minimum: 44.43,
      maximum: 44.43,
      quantityKind: 'RelativeHumidity',
    },
    {
      name: 'linkquality',
      datatypes: ['xsd:integer'],
      observedCount: 1,
      minimum: 152,
      maximum: 152,
    },
    {
      name: 'power_outage_count',
      datatypes: ['xsd:integer'],
      observedCount: 1,
      minimum: 1616,
      maximum: 1616,
    },
    {
      name: 'pressure',
      datatypes: ['xsd:double'],
      observedCount: 1,
      minimum: 957.4,
      maximum: 957.4,
      quantityKind: 'Pressure',
    },
    {
      name: 'temperature',
      datatypes: ['xsd:double'],
      observedCount: 1,
      minimum: 20.74,
      maximum: 20.74,
      quantityKind: 'Temperature',
    },
    {
      name: 'voltage',
      datatypes: ['xsd:integer'],
      observedCount: 1,
      minimum: 3025,
      maximum: 3025,
      quantityKind: 'Voltage',
    },
  ],
};

/** Facts the tree stores about the `zigbee2mqtt` bridge, or undefined when no bridge topic was seen. */
interface BridgeFacts {
  state?: string;
  info?: ZigbeeBridgeInfo;
  devices: ZigbeeDevice[];
}

function bridgeFacts(tree: TopicTree): BridgeFacts | undefined {
  const bridge = tree.zigbeeBridges.get('zigbee2mqtt');
  if (bridge === undefined) {
    return undefined;
  }
  return { state: bridge.state, info: bridge.info, devices: [...bridge.devices.values()] };
}

interface LineCase {
  line: number;
  topic: string;
  retain: boolean;
  kind: PayloadKind;
  datasets: Record<string, DatasetFacts>;
  bridge?: BridgeFacts;
}

const CASES: LineCase[] = [
  {
    line: 5,
    topic: 'zigbee2mqtt/bridge/info',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { info: BRIDGE_INFO, devices: [] },
  },
  {
    line: 6,
    topic: 'zigbee2mqtt/bridge/config',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { devices: [] },
  },
  {
    line: 7,
    topic: DESK_LIGHT,
    retain: false,
    kind: 'empty',
    // An empty payload is counted and never parsed: no properties, no media type.
    datasets: {
      [DESK_LIGHT]: {
        title: 'Bedroom Desk Light',
        format: 'zigbee2mqtt',
        role: 'state',
        retained: false,
        nonUtf8: false,
        properties: [],
      },
    },
  },
  {
    line: 8,
    topic: LIVING_ROOM,
    retain: false,
    kind: 'json-object',
    datasets: { [LIVING_ROOM]: LIVING_ROOM_FACTS },
  },
  {
    line: 9,
    topic: 'zigbee2mqtt/bridge/state',
    retain: true,
    kind: 'text',
    datasets: {},
    bridge: { state: 'online', devices: [] },
  },
  {
    line: 10,
    topic: 'zigbee2mqtt/bridge/state',
    retain: true,
    kind: 'text',
    datasets: {},
    bridge: { state: 'offline', devices: [] },
  },
  {
    line: 11,
    topic: 'zigbee2mqtt/bridge/state',
    retain: true,
    kind: 'json-object',
    datasets: {},
    bridge: { state: 'online', devices: [] },
  },
  {
    line: 12,
    topic: AVAILABILITY,
    retain: true,
    kind: 'json-object',
    datasets: {
      [AVAILABILITY]: {
        title: '<device> availability',
        format: 'zigbee2mqtt',
        role: 'availability',
        retained: true,
        mediaType: 'application/json',
        nonUtf8: false,
        properties: [
          { name: 'state', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['online'] },
        ],
      },
    },
  },
  {
    line: 13,
    topic: AVAILABILITY,
    retain: true,
    kind: 'text',
    datasets: {
      [AVAILABILITY]: {
        title: '<device> availability',
        format: 'zigbee2mqtt',
        role: 'availability',
        retained: true,
        mediaType: 'text/plain',
        nonUtf8: false,
        properties: [
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['offline'] },
        ],
      },
    },
  },
  {
    line: 14,
    topic: 'zigbee2mqtt/bridge/event',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { devices: [INTERVIEWED_BULB] },
  },
  {
    line: 15,
    topic: 'zigbee2mqtt/bridge/event',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { devices: [] },
  },
  {
    line: 16,
    topic: 'zigbee2mqtt/bridge/response/permit_join',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { devices: [] },
  },
  {
    line: 17,
    topic: 'zigbee2mqtt/bridge/response/device/remove',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { devices: [] },
  },
  {
    line: 18,
    topic: 'zigbee2mqtt/bridge/logging',
    retain: false,
    kind: 'json-object',
    datasets: {},
    bridge: { devices: [] },
  },
  {
    line: 19,
    topic: 'zigbee2mqtt/bridge/devices',
    retain: true,
    kind: 'json-array',
    datasets: {},
    bridge: { devices: [UNSUPPORTED_SENSOR] },
  },
];

describe('Zigbee2MQTT bridge and availability corpus', () => {
  describeCorpusLines(MESSAGES, CASES, (testCase, message) => {
    it('gives the bridge what the message says', () => {
      expect(bridgeFacts(observeOffline([message]).tree)).toEqual(testCase.bridge);
    });
  });

  describe('whole file', () => {
    const observed = observeOffline(MESSAGES);
    const facts = factsByKey(observed.datasets);

    it('keeps bridge topics out of the datasets', () => {
      expect(Object.keys(facts)).toEqual([AVAILABILITY, DESK_LIGHT, LIVING_ROOM]);
      expect(observed.issues).toEqual([]);
    });

    it('merges both availability payload forms', () => {
      expect(facts[AVAILABILITY]).toEqual({
        title: '<device> availability',
        format: 'zigbee2mqtt',
        role: 'availability',
        retained: true,
        mediaType: 'application/json',
        nonUtf8: false,
        properties: [
          { name: 'state', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['online'] },
          { name: '$', datatypes: ['xsd:string'], observedCount: 1, enumValues: ['offline'] },
        ],
      });
    });

    it('uses the bridge topics as metadata', () => {
      // bridge/devices replaces the list, so the device learned from the interview event is gone.
      expect(bridgeFacts(observed.tree)).toEqual({
        state: 'online',
        info: BRIDGE_INFO,
        devices: [UNSUPPORTED_SENSOR],
      });
    });

    it('encodes spaces and commas in access URLs', () => {
      const dataset = observed.datasets.find((candidate) => candidate.key === LIVING_ROOM)!;

      expect(dataset.distributions).toEqual([
        {
          key: 'mqtt',
          title: `MQTT topic ${LIVING_ROOM}`,
          accessUrl:
            'mqtt://broker.invalid:1883/zigbee2mqtt/Living%20Room%20temperature%2C%20humidity%20and%20pressure%20sensor',
          accessQuery: LIVING_ROOM,
          mediaType: 'application/json',
          format: 'JSON',
        },
      ]);
    });
  });
});
