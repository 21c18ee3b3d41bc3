import type { HarvestIssue } from '../harvest.types';
import type { DiscoveryConfig } from './formats/homeassistant-discovery.recognizer';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import type { PayloadKind } from './payload-schema';
import { describeCorpusLines, readMqttCorpus } from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('ha_discovery.jsonl');

const Z2M_TEMPERATURE = 'homeassistant/sensor/0x0017880000000001/temperature/config';
const Z2M_RESTART =
  'homeassistant/binary_sensor/1221051039810110150109113116116_0x00124b0000000001/restart_required/config';
const Z2M_VOLTAGE = 'homeassistant/sensor/0x00124b0000000002/voltage/config';
const TASMOTA_START_TIME = 'homeassistant/sensor/0A0B0C_ENERGY_TotalStartTime/config';
const EBUSD_INTEGRAL = 'homeassistant/sensor/ebusd_hmu_EnergyIntegral_integral/config';
const DELETED = 'homeassistant/sensor/<node>/<object>/config';
const BOGUS_TOMBSTONE = 'homeassistant/<component>/<node>/config';

const BLANK_UNIT_ISSUE: HarvestIssue = {
  severity: 'warning',
  subject: 'Pracka_Zasuvka/tele/SENSOR',
  message: `discovery configuration ${TASMOTA_START_TIME} gives the unit " " for ENERGY.TotalStartTime, which has no UCUM code in Weft's unit table; the text is kept as the unit's source text`,
};

const DEGREE_MINUTE_ISSUE: HarvestIssue = {
  severity: 'warning',
  subject: 'ebusd/hmu/EnergyIntegral',
  message: `discovery configuration ${EBUSD_INTEGRAL} gives the unit "°min" for integral.value, which has no UCUM code in Weft's unit table; the text is kept as the unit's source text`,
};

const TOMBSTONE_ISSUE: HarvestIssue = {
  severity: 'warning',
  subject: BOGUS_TOMBSTONE,
  message:
    'invalid Home Assistant discovery configuration: the payload is a JSON string, not an object; an entity is deleted with a zero-length retained payload',
};

const WEATHER_SENSOR: DatasetFacts = {
  title: 'weather_sensor',
  format: 'zigbee2mqtt',
  role: 'state',
  retained: false,
  nonUtf8: false,
  description: 'Temperature and humidity sensor',
  device: {
    manufacturer: 'Aqara',
    model: 'WSDCGQ11LM',
    name: 'weather_sensor',
    identifiers: ['zigbee2mqtt_0x0017880000000001'],
  },
  properties: [
    {
      name: 'temperature',
      datatypes: [],
      observedCount: 0,
      unit: 'Cel',
      unitSourceText: '°C',
      quantityKind: 'Temperature',
    },
  ],
};

const MOTION_SENSOR: DatasetFacts = {
  title: 'détecteur_pir',
  format: 'zigbee2mqtt',
  role: 'state',
  retained: false,
  nonUtf8: false,
  device: {
    manufacturer: 'SONOFF',
    model: 'Motion sensor (SNZB-03)',
    name: 'détecteur_pir',
    identifiers: ['zigbee2mqtt_0x00124b0000000002'],
  },
  properties: [
    {
      name: 'voltage',
      datatypes: [],
      observedCount: 0,
      unit: 'mV',
      unitSourceText: 'mV',
      quantityKind: 'Voltage',
      label: 'détecteur_pir_voltage',
    },
  ],
};

const TASMOTA_SENSOR: DatasetFacts = {
  title: 'Pracka_Zasuvka SENSOR',
  format: 'tasmota',
  role: 'state',
  retained: false,
  nonUtf8: false,
  device: { identifiers: ['0A0B0C'] },
  // A single space as the unit: no UCUM code and no quantity kind, but the text is kept.
  properties: [
    {
      name: 'ENERGY.TotalStartTime',
      datatypes: [],
      observedCount: 0,
      unitSourceText: ' ',
      label: 'Pracka_Zasuvka ENERGY TotalStartTime',
    },
  ],
};

const EBUSD: DatasetFacts = {
  title: 'ebusd hmu',
  format: 'homeassistant-discovery',
  role: 'state',
  retained: false,
  nonUtf8: false,
  place: 'Heating',
  device: {
    manufacturer: 'ebusd.eu',
    name: 'ebusd hmu',
    identifiers: ['ebusd_hmu'],
    softwareVersion: '24.1',
  },
  // Degree-minutes have no UCUM code, and the device class energy contradicts them: no quantity kind.
  properties: [
    {
      name: 'integral.value',
      datatypes: [],
      observedCount: 0,
      unitSourceText: '°min',
      label: 'ebusd hmu EnergyIntegral integral',
    },
  ],
};

interface LineCase {
  line: number;
  topic: string;
  kind: PayloadKind;
  /** The configuration as parsed. */
  discovery: DiscoveryConfig;
  /** Every dataset the message yields when it is the only one observed: the state topic it declares. */
  datasets: Record<string, DatasetFacts>;
  issues: HarvestIssue[];
}

const CASES: LineCase[] = [
  {
    line: 3,
    topic: Z2M_TEMPERATURE,
    kind: 'json-object',
    discovery: {
      status: 'config',
      entities: [
        {
          configTopic: Z2M_TEMPERATURE,
          component: 'sensor',
          objectId: 'weather_sensor_temperature',
          uniqueId: '0x0017880000000001_temperature_zigbee2mqtt',
          stateTopic: 'zigbee2mqtt/weather_sensor',
          valueTemplate: '{{ value_json["temperature"] }}',
          valuePath: 'temperature',
          unitText: '°C',
          deviceClass: 'temperature',
          stateClass: 'measurement',
          availabilityTopics: ['zigbee2mqtt/bridge/state'],
          device: {
            manufacturer: 'Aqara',
            model: 'WSDCGQ11LM',
            name: 'weather_sensor',
            identifiers: ['zigbee2mqtt_0x0017880000000001'],
          },
          modelName: 'Temperature and humidity sensor',
          origin: 'Zigbee2MQTT',
        },
      ],
    },
    datasets: { 'zigbee2mqtt/weather_sensor': WEATHER_SENSOR },
    issues: [],
  },
  {
    line: 4,
    topic: Z2M_RESTART,
    kind: 'json-object',
    discovery: {
      status: 'config',
      entities: [
        {
          configTopic: Z2M_RESTART,
          component: 'binary_sensor',
          objectId: 'zigbee2mqtt_bridge_restart_required',
          uniqueId: 'bridge_0x00124b0000000001_restart_required_zigbee2mqtt',
          name: 'Restart required',
          stateTopic: 'zigbee2mqtt/bridge/info',
          valueTemplate: '{{ value_json.restart_required }}',
          valuePath: 'restart_required',
          deviceClass: 'problem',
          availabilityTopics: ['zigbee2mqtt/bridge/state'],
          device: {
            manufacturer: 'Zigbee2MQTT',
            model: 'Bridge',
            name: 'Zigbee2MQTT Bridge',
            identifiers: ['zigbee2mqtt_bridge_0x00124b0000000001'],
            softwareVersion: '<z2m_version>',
          },
          origin: 'Zigbee2MQTT',
        },
      ],
    },
    // The state topic is a Zigbee2MQTT bridge topic, which is metadata and never a dataset.
    datasets: {},
    issues: [],
  },
  {
    line: 5,
    topic: Z2M_VOLTAGE,
    kind: 'json-object',
    discovery: {
      status: 'config',
      entities: [
        {
          configTopic: Z2M_VOLTAGE,
          component: 'sensor',
          objectId: 'voltage',
          uniqueId: '0x00124b0000000002_voltage_zigbee2mqtt',
          name: 'détecteur_pir_voltage',
          stateTopic: 'zigbee2mqtt/détecteur_pir',
          valueTemplate: '{{ value_json.voltage }}',
          valuePath: 'voltage',
          unitText: 'mV',
          deviceClass: 'voltage',
          stateClass: 'measurement',
          availabilityTopics: ['zigbee2mqtt/bridge/state'],
          jsonAttributesTopic: 'zigbee2mqtt/détecteur_pir',
          device: {
            manufacturer: 'SONOFF',
            model: 'Motion sensor (SNZB-03)',
            name: 'détecteur_pir',
            identifiers: ['zigbee2mqtt_0x00124b0000000002'],
          },
        },
      ],
    },
    datasets: { 'zigbee2mqtt/détecteur_pir': MOTION_SENSOR },
    issues: [],
  },
  {
    line: 6,
    topic: TASMOTA_START_TIME,
    kind: 'json-object',
    discovery: {
      status: 'config',
      entities: [
        {
          configTopic: TASMOTA_START_TIME,
          component: 'sensor',
          objectId: '0A0B0C_ENERGY_TotalStartTime',
          uniqueId: '0A0B0C_ENERGY_TotalStartTime',
          name: 'Pracka_Zasuvka ENERGY TotalStartTime',
          stateTopic: 'Pracka_Zasuvka/tele/SENSOR',
          valueTemplate: "{{value_json['ENERGY']['TotalStartTime']}}",
          valuePath: 'ENERGY.TotalStartTime',
          unitText: ' ',
          availabilityTopics: ['Pracka_Zasuvka/tele/LWT'],
          device: { identifiers: ['0A0B0C'] },
        },
      ],
    },
    datasets: { 'Pracka_Zasuvka/tele/SENSOR': TASMOTA_SENSOR },
    issues: [BLANK_UNIT_ISSUE],
  },
  {
    line: 7,
    topic: EBUSD_INTEGRAL,
    kind: 'json-object',
    discovery: {
      status: 'config',
      entities: [
        {
          configTopic: EBUSD_INTEGRAL,
          component: 'sensor',
          objectId: 'ebusd_hmu_EnergyIntegral_integral',
          uniqueId: 'ebusd_hmu_EnergyIntegral_integral',
          name: 'ebusd hmu EnergyIntegral integral',
          stateTopic: 'ebusd/hmu/EnergyIntegral',
          valueTemplate: '{{value_json["integral"].value}}',
          valuePath: 'integral.value',
          unitText: '°min',
          deviceClass: 'energy',
          stateClass: 'total_increasing',
          availabilityTopics: [],
          device: {
            manufacturer: 'ebusd.eu',
            name: 'ebusd hmu',
            identifiers: ['ebusd_hmu'],
            softwareVersion: '24.1',
          },
          suggestedArea: 'Heating',
        },
      ],
    },
    datasets: { 'ebusd/hmu/EnergyIntegral': EBUSD },
    issues: [DEGREE_MINUTE_ISSUE],
  },
  {
    line: 8,
    topic: DELETED,
    kind: 'empty',
    discovery: { status: 'deleted' },
    datasets: {},
    issues: [],
  },
  {
    line: 9,
    topic: BOGUS_TOMBSTONE,
    kind: 'json-string',
    discovery: {
      status: 'invalid',
      reason:
        'the payload is a JSON string, not an object; an entity is deleted with a zero-length retained payload',
    },
    datasets: {},
    issues: [TOMBSTONE_ISSUE],
  },
];

describe('Home Assistant discovery corpus', () => {
  // Every discovery configuration is retained, so a broker hands it to each new subscriber.
  describeCorpusLines(
    MESSAGES,
    CASES.map((testCase) => ({ ...testCase, retain: true })),
    (testCase, message) => {
      it('parses the configuration', () => {
        const observed = observeOffline([message]);

        expect(observed.tree.discovery.get(testCase.topic)?.config).toEqual(testCase.discovery);
      });
    },
  );

  describe('whole file', () => {
    const observed = observeOffline(MESSAGES);

    it('makes no dataset of a configuration topic', () => {
      expect(Object.keys(factsByKey(observed.datasets))).toEqual([
        'Pracka_Zasuvka/tele/SENSOR',
        'ebusd/hmu/EnergyIntegral',
        'zigbee2mqtt/détecteur_pir',
        'zigbee2mqtt/weather_sensor',
      ]);
    });

    it('declares the state topics with their configurations', () => {
      const facts = factsByKey(observed.datasets);

      expect(facts['zigbee2mqtt/weather_sensor']).toEqual(WEATHER_SENSOR);
      expect(facts['zigbee2mqtt/détecteur_pir']).toEqual(MOTION_SENSOR);
      expect(facts['Pracka_Zasuvka/tele/SENSOR']).toEqual(TASMOTA_SENSOR);
      expect(facts['ebusd/hmu/EnergyIntegral']).toEqual(EBUSD);
    });

    it('lists declared topics with no traffic', () => {
      const dataset = observed.datasets.find(
        (candidate) => candidate.key === 'ebusd/hmu/EnergyIntegral',
      )!;

      expect(dataset.details).toMatchObject({
        declaredOnly: true,
        messageCount: 0,
        discoveryTopics: [EBUSD_INTEGRAL],
      });
      expect(dataset.temporal).toBeUndefined();
      expect(dataset.distributions[0].accessUrl).toBe(
        'mqtt://broker.invalid:1883/ebusd/hmu/EnergyIntegral',
      );
    });

    it('reports the invalid configuration and the units without a UCUM code', () => {
      expect(observed.issues).toEqual([TOMBSTONE_ISSUE, BLANK_UNIT_ISSUE, DEGREE_MINUTE_ISSUE]);
    });
  });
});
