import { inferFieldUnit, quantityKindFromFieldKey } from './influx-field-units';

describe('inferFieldUnit', () => {
  it.each([
    ['temperature_c', 'Cel', 'c'],
    ['temp_c', 'Cel', 'c'],
    ['temperature_f', '[degF]', 'f'],
    ['power_w', 'W', 'w'],
    ['energy_kwh', 'kW.h', 'kwh'],
    ['total_energy_wh', 'W.h', 'wh'],
    ['current_a', 'A', 'a'],
    ['voltage_v', 'V', 'v'],
    ['stirrer_rpm', '/min', 'rpm'],
    ['used_percent', '%', 'percent'],
    ['humidity_pct', '%', 'pct'],
    ['pressure_hpa', 'hPa', 'hpa'],
    ['latency_ms', 'ms', 'ms'],
    ['ph', '[pH]', 'ph'],
  ])('reads %s as %s', (fieldKey, ucum, sourceText) => {
    expect(inferFieldUnit(fieldKey, { measurement: 'm' })).toMatchObject({
      unit: { ucum },
      sourceText,
      origin: 'field-key',
    });
  });

  it.each([
    ['temperature'],
    ['usage_idle'],
    ['voltage_c'],
    ['phase_a'],
    ['temperature_min'],
    ['distance_m'],
    ['_w'],
    ['power_'],
    ['value'],
  ])('finds no unit in %s', (fieldKey) => {
    expect(inferFieldUnit(fieldKey, { measurement: 'm' })).toBeUndefined();
  });

  it('takes a single unit tag value', () => {
    expect(inferFieldUnit('value', { measurement: 'sensor', unitTagValues: ['°C'] })).toMatchObject(
      {
        unit: { ucum: 'Cel' },
        sourceText: '°C',
        origin: 'unit-tag',
      },
    );
  });

  it('ignores a unit tag with several values', () => {
    expect(
      inferFieldUnit('value', { measurement: 'sensor', unitTagValues: ['°C', '%'] }),
    ).toBeUndefined();
  });

  it('prefers the field key over the unit tag', () => {
    expect(inferFieldUnit('power_w', { measurement: 'm', unitTagValues: ['kW'] })).toMatchObject({
      unit: { ucum: 'W' },
      origin: 'field-key',
    });
  });

  it('reads a Home Assistant measurement named after a unit', () => {
    const tagKeys = ['domain', 'entity_id'];

    expect(inferFieldUnit('value', { measurement: 'kWh', tagKeys })).toMatchObject({
      unit: { ucum: 'kW.h' },
      sourceText: 'kWh',
      origin: 'measurement-name',
    });
    expect(inferFieldUnit('state', { measurement: 'kWh', tagKeys })).toBeUndefined();
  });

  it('needs the entity_id tag to read a unit from the name', () => {
    expect(inferFieldUnit('value', { measurement: 'kWh', tagKeys: ['host'] })).toBeUndefined();
  });
});

describe('quantityKindFromFieldKey', () => {
  it.each([
    ['temperature', 'Temperature'],
    ['room_temperature', 'Temperature'],
    ['humidity', 'RelativeHumidity'],
    ['usage_idle', undefined],
  ])('reads %s as %s', (fieldKey, kind) => {
    expect(quantityKindFromFieldKey(fieldKey)).toBe(kind);
  });
});
