import type { HarvestedProperty } from '../harvest.types';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import type { CorpusMessage } from './replay';
import {
  describeCorpusLines,
  oneDataset,
  property,
  readMqttCorpus,
  stateDataset,
} from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('z2m_device_states.jsonl');
const { text, flag, nullValue } = property;

/** A number seen once, with the quantity kind its key name implies. */
function integer(name: string, value: number, quantityKind?: string): HarvestedProperty {
  return { ...property.integer(name, value), quantityKind };
}

function double(name: string, value: number, quantityKind?: string): HarvestedProperty {
  return { ...property.double(name, value), quantityKind };
}

/** Zigbee2MQTT state payloads carry no units: quantity kinds come from unambiguous key names only. */
function zigbeeState(
  title: string,
  properties: HarvestedProperty[],
  device?: DatasetFacts['device'],
): DatasetFacts {
  return stateDataset('zigbee2mqtt', title, properties, device);
}

interface LineCase {
  line: number;
  topic: string;
  dataset: DatasetFacts;
}

const CASES: LineCase[] = [
  {
    line: 6,
    topic: 'zigbee2mqtt/Office Desk Light',
    dataset: zigbeeState('Office Desk Light', [
      text('state', 'OFF'),
      integer('linkquality', 172),
      integer('update.installed_version', 34),
      integer('update.latest_version', 34),
      text('update.state', 'idle'),
      flag('update_available'),
      integer('brightness', 63),
      text('color_mode', 'color_temp'),
      integer('color_temp', 359),
    ]),
  },
  {
    line: 7,
    topic: 'zigbee2mqtt/Bathroom Motion Sensor',
    dataset: zigbeeState('Bathroom Motion Sensor', [
      integer('battery', 100, 'DimensionlessRatio'),
      integer('device_temperature', 28),
      integer('illuminance', 3, 'Illuminance'),
      integer('illuminance_lux', 3, 'Illuminance'),
      integer('linkquality', 184),
      flag('occupancy'),
      integer('power_outage_count', 111),
      integer('voltage', 3005, 'Voltage'),
    ]),
  },
  {
    line: 8,
    topic: 'zigbee2mqtt/Square Switch',
    dataset: zigbeeState('Square Switch', [
      integer('battery', 100, 'DimensionlessRatio'),
      integer('device_temperature', 26),
      integer('linkquality', 172),
      integer('power_outage_count', 56),
      integer('voltage', 3005, 'Voltage'),
    ]),
  },
  {
    line: 9,
    topic: 'zigbee2mqtt/Plug',
    dataset: zigbeeState('Plug', [
      double('consumption', 5.56),
      integer('device_temperature', 30),
      double('energy', 5.56, 'Energy'),
      integer('linkquality', 184),
      integer('power', 0, 'Power'),
      integer('power_outage_count', 131),
      text('state', 'OFF'),
    ]),
  },
  {
    line: 10,
    topic: 'zigbee2mqtt/Bedroom temperature, humidity and pressure sensor',
    // temperature 18 is an integer here and a double on the same model's other sensor.
    dataset: zigbeeState('Bedroom temperature, humidity and pressure sensor', [
      integer('battery', 100, 'DimensionlessRatio'),
      double('humidity', 46.6, 'RelativeHumidity'),
      integer('linkquality', 172),
      integer('power_outage_count', 10),
      double('pressure', 966.2, 'Pressure'),
      integer('temperature', 18, 'Temperature'),
      integer('voltage', 3015, 'Voltage'),
    ]),
  },
  {
    line: 11,
    topic: 'zigbee2mqtt/Living Room temperature, humidity and pressure sensor',
    dataset: zigbeeState('Living Room temperature, humidity and pressure sensor', [
      integer('battery', 100, 'DimensionlessRatio'),
      double('humidity', 44.1, 'RelativeHumidity'),
      integer('linkquality', 172),
      integer('power_outage_count', 1616),
      double('pressure', 966.2, 'Pressure'),
      double('temperature', 18.93, 'Temperature'),
      integer('voltage', 3015, 'Voltage'),
    ]),
  },
  {
    line: 12,
    topic: 'zigbee2mqtt/Bathroom leak sensor',
    dataset: zigbeeState('Bathroom leak sensor', [
      integer('battery', 100, 'DimensionlessRatio'),
      integer('device_temperature', 33),
      integer('linkquality', 116),
      integer('power_outage_count', 15),
      integer('voltage', 3025, 'Voltage'),
    ]),
  },
  {
    line: 13,
    topic: 'zigbee2mqtt/Door Sensor',
    dataset: zigbeeState('Door Sensor', [
      integer('battery', 100, 'DimensionlessRatio'),
      flag('contact'),
      integer('linkquality', 255),
      integer('power_outage_count', 878),
      integer('voltage', 3095, 'Voltage'),
    ]),
  },
  {
    line: 14,
    topic: 'zigbee2mqtt/Cube',
    // power 4042 and current 0 are bogus attributes of this device, recorded as they are.
    dataset: zigbeeState('Cube', [
      double('angle', 30.87),
      integer('battery', 90, 'DimensionlessRatio'),
      integer('current', 0, 'ElectricCurrent'),
      integer('device_temperature', 17),
      integer('linkquality', 255),
      integer('power', 4042, 'Power'),
      integer('power_outage_count', 344),
      integer('side', 2),
      integer('voltage', 2985, 'Voltage'),
    ]),
  },
  {
    line: 15,
    topic: 'zigbee2mqtt/0x00158d00000000a1',
    // The legacy device block names the manufacturer and model; -100 is the device's sentinel.
    dataset: zigbeeState(
      '0x00158d00000000a1',
      [
        integer('temperature', -100, 'Temperature'),
        integer('linkquality', 60),
        double('humidity', 90.62, 'RelativeHumidity'),
        double('pressure', 1017.63, 'Pressure'),
        integer('battery', 13, 'DimensionlessRatio'),
        integer('voltage', 2875, 'Voltage'),
        text('device.ieeeAddr', '0x00158d00000000a1'),
        text('device.friendlyName', '0x00158d00000000a1'),
        text('device.type', 'EndDevice'),
        integer('device.nwkAddr', 12345),
        integer('device.manufId', 4151),
        text('device.manufName', 'LUMI'),
        text('device.powerSource', 'Battery'),
        text('device.modelId', 'lumi.weather'),
        text('device.status', 'online'),
      ],
      { manufacturer: 'LUMI', model: 'lumi.weather', identifiers: ['0x00158d00000000a1'] },
    ),
  },
  {
    line: 16,
    topic: 'zigbee2mqtt/sonoff_snzb-02.office',
    dataset: zigbeeState('sonoff_snzb-02.office', [
      double('battery', 92.5, 'DimensionlessRatio'),
      double('humidity', 46.4, 'RelativeHumidity'),
      integer('linkquality', 128),
      double('temperature', 27.2, 'Temperature'),
      integer('voltage', 2900, 'Voltage'),
    ]),
  },
  {
    line: 17,
    topic: 'zigbee2mqtt/<owon_sensor>',
    // 327.67 is the 0x7FFF/100 sentinel: recorded as the range seen, not filtered.
    dataset: zigbeeState('<owon_sensor>', [double('temperature', 327.67, 'Temperature')]),
  },
  {
    line: 18,
    topic: 'zigbee2mqtt/<tuya_aq>',
    dataset: zigbeeState('<tuya_aq>', [double('temperature', 6550.9, 'Temperature')]),
  },
  {
    line: 19,
    topic: 'zigbee2mqtt/Thermostat Wohnzimmer',
    dataset: zigbeeState('Thermostat Wohnzimmer', [
      nullValue('child_lock'),
      integer('current_heating_setpoint', 361321898),
      nullValue('deadzone_temperature'),
      text('heat', 'OFF'),
      integer('linkquality', 47),
      double('local_temperature', 21.5),
      integer('local_temperature_calibration', -3),
      nullValue('max_temperature_limit'),
      integer('min_temperature_limit', 0),
      text('preset', 'hold'),
      text('preset_mode', 'hold'),
      integer('program.saturday_p1_hour', 6),
      integer('program.saturday_p1_minute', 0),
    ]),
  },
  {
    line: 20,
    topic: 'zigbee2mqtt/bewegungsmelder1',
    // "unknown" is no software version, so the device gets none.
    dataset: zigbeeState(
      'bewegungsmelder1',
      [
        flag('occupancy'),
        integer('linkquality', 42),
        { name: 'last_seen', datatypes: ['xsd:dateTime'], observedCount: 1 },
        integer('battery', 100, 'DimensionlessRatio'),
        integer('voltage', 3075, 'Voltage'),
        integer('no_occupancy_since', 120),
        integer('elapsed', 90000),
        text('device.ieeeAddr', '0x00158d00000000a2'),
        text('device.friendlyName', 'bewegungsmelder1'),
        text('device.type', 'EndDevice'),
        integer('device.nwkAddr', 3532),
        integer('device.manufId', 4151),
        text('device.manufName', 'LUMI'),
        text('device.powerSource', 'Battery'),
        text('device.modelId', 'lumi.sensor_motion'),
        text('device.hwVersion', 'unknown'),
        text('device.swBuildId', 'unknown'),
        text('device.dateCode', 'unknown'),
        text('device.status', 'online'),
      ],
      { manufacturer: 'LUMI', model: 'lumi.sensor_motion', identifiers: ['0x00158d00000000a2'] },
    ),
  },
  {
    line: 21,
    topic: 'zigbee2mqtt/button',
    dataset: zigbeeState('button', [text('action', 'single'), integer('linkquality', 10)]),
  },
];

describe('Zigbee2MQTT device state corpus', () => {
  describeCorpusLines(
    MESSAGES,
    CASES.map(({ line, topic, dataset }) => oneDataset(line, topic, dataset)),
  );

  describe('whole file', () => {
    it('has one dataset per device', () => {
      const observed = observeOffline(MESSAGES);

      expect(observed.datasets).toHaveLength(16);
      expect(observed.issues).toEqual([]);
    });

    it('notes integers and doubles when one topic carries both', () => {
      const bedroom = MESSAGES.find((message) => message.line === 10)!;
      const livingRoom = MESSAGES.find((message) => message.line === 11)!;
      const sameTopic: CorpusMessage[] = [bedroom, { ...livingRoom, topic: bedroom.topic }];

      const temperature = observeOffline(sameTopic).datasets[0].properties.find(
        (property) => property.name === 'temperature',
      );

      expect(temperature).toEqual({
        name: 'temperature',
        datatypes: ['xsd:double', 'xsd:integer'],
        observedCount: 2,
        minimum: 18,
        maximum: 18.93,
        quantityKind: 'Temperature',
      });
    });

    it('takes model, vendor and units from the bridge device list', () => {
      const bedroom = MESSAGES.find((message) => message.line === 10)!;
      // A bridge/devices entry in the form Zigbee2MQTT documents, built for this test.
      const devices = [
        {
          ieee_address: '0x00158d0000000010',
          friendly_name: 'Bedroom temperature, humidity and pressure sensor',
          model_id: 'lumi.weather',
          power_source: 'Battery',
          supported: true,
          definition: {
            model: 'WSDCGQ11LM',
            vendor: 'Aqara',
            description: 'Temperature, humidity and pressure sensor',
            exposes: [
              {
                type: 'numeric',
                name: 'temperature',
                property: 'temperature',
                unit: '°C',
                label: 'Temperature',
              },
              {
                type: 'numeric',
                name: 'humidity',
                property: 'humidity',
                unit: '%',
                label: 'Humidity',
              },
              {
                type: 'numeric',
                name: 'pressure',
                property: 'pressure',
                unit: 'hPa',
                label: 'Pressure',
              },
              {
                type: 'numeric',
                name: 'voltage',
                property: 'voltage',
                unit: 'mV',
                label: 'Voltage',
              },
            ],
          },
        },
      ];
      const bridgeMessage: CorpusMessage = {
        file: 'test',
        line: 1,
        topic: 'zigbee2mqtt/bridge/devices',
        payload: Buffer.from(JSON.stringify(devices)),
        retain: true,
      };

      const facts = factsByKey(observeOffline([bridgeMessage, bedroom]).datasets);

      expect(facts).toEqual({
        [bedroom.topic]: {
          ...zigbeeState(
            'Bedroom temperature, humidity and pressure sensor',
            [
              integer('battery', 100, 'DimensionlessRatio'),
              {
                ...double('humidity', 46.6, 'RelativeHumidity'),
                unit: '%',
                unitSourceText: '%',
                label: 'Humidity',
              },
              integer('linkquality', 172),
              integer('power_outage_count', 10),
              {
                ...double('pressure', 966.2, 'Pressure'),
                unit: 'hPa',
                unitSourceText: 'hPa',
                label: 'Pressure',
              },
              {
                ...integer('temperature', 18, 'Temperature'),
                unit: 'Cel',
                unitSourceText: '°C',
                label: 'Temperature',
              },
              {
                ...integer('voltage', 3015, 'Voltage'),
                unit: 'mV',
                unitSourceText: 'mV',
                label: 'Voltage',
              },
            ],
            {
              manufacturer: 'Aqara',
              model: 'WSDCGQ11LM',
              name: 'Bedroom temperature, humidity and pressure sensor',
              identifiers: ['0x00158d0000000010'],
            },
          ),
          description: 'Temperature, humidity and pressure sensor',
        },
      });
    });
  });
});
