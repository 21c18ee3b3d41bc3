import type { HarvestedProperty } from '../harvest.types';
import { factsByKey, observeOffline } from './offline-observation';
import type { DatasetFacts } from './offline-observation';
import {
  describeCorpusLines,
  oneDataset,
  property,
  readMqttCorpus,
  stateDataset,
} from '../../../test/support/mqtt-corpus-cases';

const MESSAGES = readMqttCorpus('tasmota_sensor.jsonl');
const { text, dateTime, integer, double } = property;

const TIME_DESCRIPTION =
  'Device-local time; Tasmota leaves out the UTC offset unless SetOption52 is on.';

function time(observedCount = 1): HarvestedProperty {
  return {
    name: 'Time',
    datatypes: ['xsd:dateTime'],
    observedCount,
    description: TIME_DESCRIPTION,
  };
}

/** Build the property of a number that the French Linky TIC driver sends as a zero-padded string. */
function numericString(name: string, value: number): HarvestedProperty {
  return { ...integer(name, value), anomalies: { 'numeric-string': 1 } };
}

/** Units of the ENERGY keys that the Tasmota firmware fixes. */
const KWH = { unit: 'kW.h', quantityKind: 'Energy' };
const WH = { unit: 'W.h', quantityKind: 'Energy' };
const WATT = { unit: 'W', quantityKind: 'Power' };
const VOLT_AMPERE = { unit: 'V.A', quantityKind: 'ApparentPower' };
const VAR = { unit: 'var', quantityKind: 'ReactivePower' };
const VOLT = { unit: 'V', quantityKind: 'Voltage' };
const AMPERE = { unit: 'A', quantityKind: 'ElectricCurrent' };

function tasmotaSensor(title: string, properties: HarvestedProperty[]): DatasetFacts {
  return stateDataset('tasmota', title, properties);
}

interface LineCase {
  line: number;
  topic: string;
  dataset: DatasetFacts;
}

const CASES: LineCase[] = [
  {
    line: 4,
    topic: '<site>/tele/elektronik/control0/SENSOR',
    // The sibling TempUnit gives the temperature its unit; humidity has none in the payload.
    dataset: tasmotaSensor('elektronik/control0 SENSOR', [
      time(),
      {
        ...double('SI7021.Temperature', 5.4),
        unit: 'Cel',
        unitSourceText: 'C',
        quantityKind: 'Temperature',
      },
      { ...double('SI7021.Humidity', 27.7), quantityKind: 'RelativeHumidity' },
      text('TempUnit', 'C'),
    ]),
  },
  {
    line: 5,
    topic: '<site>/tele/mezzo/kuehlschrank/SENSOR',
    // 3.0 is written as a float, so it stays a double.
    dataset: tasmotaSensor('mezzo/kuehlschrank SENSOR', [
      time(),
      {
        ...double('DS18B20.Temperature', 3),
        unit: 'Cel',
        unitSourceText: 'C',
        quantityKind: 'Temperature',
      },
      text('TempUnit', 'C'),
    ]),
  },
  {
    line: 6,
    topic: '<topic>/tele/SENSOR',
    dataset: tasmotaSensor('<topic> SENSOR', [
      time(),
      text('Switch1', 'ON'),
      dateTime('ENERGY.TotalStartTime'),
      { ...double('ENERGY.Total', 14.68792), ...KWH },
      { ...double('ENERGY.Yesterday', 0.00001), ...KWH },
      { ...double('ENERGY.Today', 0.00869), ...KWH },
      { ...integer('ENERGY.Period', 1), ...WH },
      { ...integer('ENERGY.Power', 32), ...WATT },
      { ...integer('ENERGY.ApparentPower', 35), ...VOLT_AMPERE },
      { ...integer('ENERGY.ReactivePower', 16), ...VAR },
      double('ENERGY.Factor', 0.89),
      { ...integer('ENERGY.Voltage', 238), ...VOLT },
      { ...double('ENERGY.Current', 0.148), ...AMPERE },
    ]),
  },
  {
    line: 7,
    topic: 'tele/tasmota/SENSOR',
    // Two channels turn most keys into arrays; Voltage stays scalar, and the chip temperature has no TempUnit.
    dataset: tasmotaSensor('tasmota SENSOR', [
      time(),
      dateTime('ENERGY.TotalStartTime'),
      { ...double('ENERGY.Total[]', 0.254, 2.813, 2), ...KWH },
      { ...double('ENERGY.Yesterday[]', 0.125, 1.53, 2), ...KWH },
      { ...double('ENERGY.Today[]', 0.059, 0.772, 2), ...KWH },
      { ...integer('ENERGY.Power[]', 5, 52, 2), ...WATT },
      { ...integer('ENERGY.ApparentPower[]', 10, 66, 2), ...VOLT_AMPERE },
      { ...integer('ENERGY.ReactivePower[]', 9, 40, 2), ...VAR },
      double('ENERGY.Factor[]', 0.5, 0.79, 2),
      { ...integer('ENERGY.Voltage', 235), ...VOLT },
      { ...double('ENERGY.Current[]', 0.044, 0.278, 2), ...AMPERE },
      { ...double('ENERGY.BL09XX.Temperature', 46.5), quantityKind: 'Temperature' },
    ]),
  },
  {
    line: 8,
    topic: 'tele/shellyB/SENSOR',
    // TempUnit F: the temperature stays in degrees Fahrenheit.
    dataset: tasmotaSensor('shellyB SENSOR', [
      time(),
      text('Switch1', 'OFF'),
      text('Switch2', 'OFF'),
      {
        ...double('ANALOG.Temperature', 100.1),
        unit: '[degF]',
        unitSourceText: 'F',
        quantityKind: 'Temperature',
      },
      dateTime('ENERGY.TotalStartTime'),
      { ...double('ENERGY.Total', 0.586), ...KWH },
      { ...double('ENERGY.Yesterday', 0.033), ...KWH },
      { ...double('ENERGY.Today', 0), ...KWH },
      { ...integer('ENERGY.Period', 0), ...WH },
      { ...integer('ENERGY.Power', 0), ...WATT },
      { ...integer('ENERGY.ApparentPower', 0), ...VOLT_AMPERE },
      { ...integer('ENERGY.ReactivePower', 0), ...VAR },
      double('ENERGY.Factor', 0),
      { ...integer('ENERGY.Voltage', 0), ...VOLT },
      { ...double('ENERGY.Current', 0), ...AMPERE },
      text('TempUnit', 'F'),
    ]),
  },
  {
    line: 9,
    topic: '<topic>/tele/SENSOR',
    // Spaces after colons are valid JSON and change nothing.
    dataset: tasmotaSensor('<topic> SENSOR', [
      time(),
      dateTime('ENERGY.TotalStartTime'),
      { ...double('ENERGY.Total', 0.35), ...KWH },
      { ...double('ENERGY.Yesterday', 0.067), ...KWH },
      { ...double('ENERGY.Today', 0.05), ...KWH },
      { ...integer('ENERGY.Period', 0), ...WH },
      { ...integer('ENERGY.Power', 0), ...WATT },
      { ...integer('ENERGY.ApparentPower', 0), ...VOLT_AMPERE },
      { ...integer('ENERGY.ReactivePower', 0), ...VAR },
      double('ENERGY.Factor', 0),
      { ...integer('ENERGY.Voltage', 0), ...VOLT },
      { ...double('ENERGY.Current', 0), ...AMPERE },
    ]),
  },
  {
    line: 10,
    topic: 'iot/sonoff/tele/sonoff-pow-2/SENSOR',
    // Old firmware: fewer ENERGY keys, the same units for those present.
    dataset: tasmotaSensor('sonoff-pow-2 SENSOR', [
      time(),
      { ...double('ENERGY.Total', 0.006), ...KWH },
      { ...double('ENERGY.Yesterday', 0), ...KWH },
      { ...double('ENERGY.Today', 0.006), ...KWH },
      { ...integer('ENERGY.Power', 5), ...WATT },
      double('ENERGY.Factor', 0.1),
      { ...integer('ENERGY.Voltage', 214), ...VOLT },
      { ...double('ENERGY.Current', 0.241), ...AMPERE },
    ]),
  },
  {
    line: 11,
    topic: 'compteur/tele/SENSOR',
    // The TIC driver sends numbers as zero-padded strings and fixes no units.
    dataset: tasmotaSensor('compteur SENSOR', [
      time(),
      text('TIC.ADCO', '0619640000XX'),
      text('TIC.OPTARIF', 'BASE'),
      numericString('TIC.ISOUSC', 30),
      numericString('TIC.BASE', 7970903),
      text('TIC.PTEC', 'TH..'),
      numericString('TIC.IINST', 3),
      numericString('TIC.IMAX', 90),
      numericString('TIC.PAPP', 780),
      text('TIC.HHPHC', 'A'),
      numericString('TIC.MOTDETAT', 0),
      integer('TIC.PHASE', 1),
      numericString('TIC.SSOUSC', 6000),
      numericString('TIC.IINST1', 3),
      numericString('TIC.SINSTS1', 780),
    ]),
  },
  {
    line: 12,
    topic: 'compteur/tele/SENSOR',
    dataset: tasmotaSensor('compteur SENSOR', [
      time(),
      dateTime('ENERGY.TotalStartTime'),
      { ...double('ENERGY.Total', 7970.903), ...KWH },
      { ...double('ENERGY.Yesterday', 3.198), ...KWH },
      { ...double('ENERGY.Today', 6.024), ...KWH },
      { ...integer('ENERGY.Period', 63), ...WH },
      { ...integer('ENERGY.Power', 860), ...WATT },
      { ...double('ENERGY.Current', 4), ...AMPERE },
      text('IP', '192.0.2.10'),
      text('MAC', '00:00:5E:00:53:04'),
    ]),
  },
];

describe('Tasmota SENSOR corpus', () => {
  describeCorpusLines(
    MESSAGES,
    CASES.map(({ line, topic, dataset }) => oneDataset(line, topic, dataset)),
  );

  describe('whole file', () => {
    const observed = observeOffline(MESSAGES);
    const facts = factsByKey(observed.datasets);

    it('has one dataset per topic', () => {
      expect(Object.keys(facts)).toEqual([
        '<site>/tele/elektronik/control0/SENSOR',
        '<site>/tele/mezzo/kuehlschrank/SENSOR',
        '<topic>/tele/SENSOR',
        'compteur/tele/SENSOR',
        'iot/sonoff/tele/sonoff-pow-2/SENSOR',
        'tele/shellyB/SENSOR',
        'tele/tasmota/SENSOR',
      ]);
      expect(observed.issues).toEqual([]);
    });

    it('merges two messages of one device into ranges', () => {
      expect(facts['<topic>/tele/SENSOR'].properties).toEqual([
        time(2),
        text('Switch1', 'ON'),
        dateTime('ENERGY.TotalStartTime', 2),
        { ...double('ENERGY.Total', 0.35, 14.68792, 2), ...KWH },
        { ...double('ENERGY.Yesterday', 0.00001, 0.067, 2), ...KWH },
        { ...double('ENERGY.Today', 0.00869, 0.05, 2), ...KWH },
        { ...integer('ENERGY.Period', 0, 1, 2), ...WH },
        { ...integer('ENERGY.Power', 0, 32, 2), ...WATT },
        { ...integer('ENERGY.ApparentPower', 0, 35, 2), ...VOLT_AMPERE },
        { ...integer('ENERGY.ReactivePower', 0, 16, 2), ...VAR },
        double('ENERGY.Factor', 0, 0.89, 2),
        { ...integer('ENERGY.Voltage', 0, 238, 2), ...VOLT },
        { ...double('ENERGY.Current', 0, 0.148, 2), ...AMPERE },
      ]);
    });

    it('keeps the TIC counter in Wh beside the ENERGY total in kWh', () => {
      const properties = facts['compteur/tele/SENSOR'].properties;

      expect(properties.map((property) => property.name)).toEqual([
        'Time',
        'TIC.ADCO',
        'TIC.OPTARIF',
        'TIC.ISOUSC',
        'TIC.BASE',
        'TIC.PTEC',
        'TIC.IINST',
        'TIC.IMAX',
        'TIC.PAPP',
        'TIC.HHPHC',
        'TIC.MOTDETAT',
        'TIC.PHASE',
        'TIC.SSOUSC',
        'TIC.IINST1',
        'TIC.SINSTS1',
        'ENERGY.TotalStartTime',
        'ENERGY.Total',
        'ENERGY.Yesterday',
        'ENERGY.Today',
        'ENERGY.Period',
        'ENERGY.Power',
        'ENERGY.Current',
        'IP',
        'MAC',
      ]);
      expect(properties.find((property) => property.name === 'TIC.BASE')).toEqual(
        numericString('TIC.BASE', 7970903),
      );
      expect(properties.find((property) => property.name === 'ENERGY.Total')).toEqual({
        ...double('ENERGY.Total', 7970.903),
        ...KWH,
      });
    });

    it('records where the units came from', () => {
      const dataset = observed.datasets.find(
        (candidate) => candidate.key === 'tele/shellyB/SENSOR',
      )!;

      expect(dataset.details.unitOrigins).toEqual({
        'ANALOG.Temperature': 'payload-sibling',
        'ENERGY.Total': 'format-convention',
        'ENERGY.Yesterday': 'format-convention',
        'ENERGY.Today': 'format-convention',
        'ENERGY.Period': 'format-convention',
        'ENERGY.Power': 'format-convention',
        'ENERGY.ApparentPower': 'format-convention',
        'ENERGY.ReactivePower': 'format-convention',
        'ENERGY.Voltage': 'format-convention',
        'ENERGY.Current': 'format-convention',
      });
    });
  });
});
