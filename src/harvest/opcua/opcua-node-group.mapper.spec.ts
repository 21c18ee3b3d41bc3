import { decodeAccessLevel } from './opcua-access-level';
import { classifyDataType } from './opcua-data-types';
import { UNECE_UNITS_NAMESPACE_URI, mapEngineeringUnits } from './opcua-node-group.mapper';

const UA = 'http://opcfoundation.org/UA/';

describe('mapEngineeringUnits', () => {
  it('maps a UNECE unitId to UCUM', () => {
    expect(
      mapEngineeringUnits({
        namespaceUri: UNECE_UNITS_NAMESPACE_URI,
        unitId: 4408652,
        displayName: '°C',
      }),
    ).toEqual({
      unit: 'Cel',
      unitSourceText: '°C',
      quantityKind: 'Temperature',
      unece: 'CEL',
    });
  });

  it('keeps an unknown UNECE code as source text', () => {
    // 'XYZ' packed as in Part 8: 0x58595A.
    expect(mapEngineeringUnits({ unitId: 0x58595a })).toEqual({
      unece: 'XYZ',
      unitSourceText: 'XYZ',
    });
  });

  it('ignores unitId outside the UNECE namespace', () => {
    expect(
      mapEngineeringUnits({
        namespaceUri: 'urn:vendor:units',
        unitId: 4408652,
        displayName: 'kWh',
      }),
    ).toEqual({
      unit: 'kW.h',
      unitSourceText: 'kWh',
      quantityKind: 'Energy',
    });
  });

  it('returns nothing without EngineeringUnits', () => {
    expect(mapEngineeringUnits(undefined)).toEqual({});
  });
});

describe('decodeAccessLevel', () => {
  it('names the bits', () => {
    expect(decodeAccessLevel(0)).toEqual([]);
    expect(decodeAccessLevel(0x0f)).toEqual([
      'CurrentRead',
      'CurrentWrite',
      'HistoryRead',
      'HistoryWrite',
    ]);
    expect(decodeAccessLevel(0x2001)).toEqual(['CurrentRead', 'Constant']);
  });
});

describe('classifyDataType', () => {
  it('follows supertypes to a built-in type', () => {
    const supertypes = new Map([
      ['nsu=urn:x;i=1', 'nsu=urn:x;i=2'],
      ['nsu=urn:x;i=2', `nsu=${UA};i=290`],
    ]);

    expect(classifyDataType('nsu=urn:x;i=1', (id) => supertypes.get(id))).toEqual({
      datatype: 'xsd:double',
      shape: 'built-in',
      builtInType: 'Double',
    });
  });

  it('stops on a cycle', () => {
    const supertypes = new Map([
      ['nsu=urn:x;i=1', 'nsu=urn:x;i=2'],
      ['nsu=urn:x;i=2', 'nsu=urn:x;i=1'],
    ]);

    expect(classifyDataType('nsu=urn:x;i=1', (id) => supertypes.get(id))).toEqual({
      shape: 'unknown',
    });
  });
});
