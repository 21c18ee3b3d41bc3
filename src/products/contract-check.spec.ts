import { findBreaches } from './contract-check';
import type { ProductContract } from './product-contract.types';

const PID = 'https://w3id.org/site/b5k2mnp7qx';
const OTHER = 'https://w3id.org/site/c7h3xw9kd2';

const CONTRACT: ProductContract = {
  fields: [
    {
      name: 'temperature',
      dataset: null,
      datatype: 'xsd:double',
      unit: 'Cel',
      minimum: null,
      maximum: null,
    },
    {
      name: 'humidity',
      dataset: null,
      datatype: 'xsd:double',
      unit: null,
      minimum: null,
      maximum: null,
    },
    {
      name: 'door',
      dataset: OTHER,
      datatype: 'xsd:boolean',
      unit: null,
      minimum: null,
      maximum: null,
    },
  ],
  samplingIntervalSeconds: null,
};

describe('contract check', () => {
  it('kept contract has no breaches', () => {
    const breaches = findBreaches(CONTRACT, {
      dataset: { pid: PID, status: 'active' },
      properties: [
        { name: 'temperature', datatypes: ['xsd:double'], unit: 'Cel' },
        { name: 'humidity', datatypes: ['xsd:double', 'xsd:string'], unit: '%' },
      ],
    });

    expect(breaches).toEqual([]);
  });

  it('missing field, changed unit and datatype are breaches', () => {
    const breaches = findBreaches(CONTRACT, {
      dataset: { pid: PID, status: 'active' },
      properties: [{ name: 'temperature', datatypes: ['xsd:string'], unit: '[degF]' }],
    });

    expect(breaches).toEqual([
      {
        datasetPid: PID,
        breach: 'datatype-changed',
        field: 'temperature',
        expected: 'xsd:double',
        actual: 'xsd:string',
      },
      {
        datasetPid: PID,
        breach: 'unit-changed',
        field: 'temperature',
        expected: 'Cel',
        actual: '[degF]',
      },
      {
        datasetPid: PID,
        breach: 'field-missing',
        field: 'humidity',
        expected: 'humidity',
        actual: null,
      },
    ]);
  });

  it('field of another dataset is not required', () => {
    const breaches = findBreaches(CONTRACT, {
      dataset: { pid: OTHER, status: 'active' },
      properties: [
        { name: 'temperature', datatypes: ['xsd:double'], unit: 'Cel' },
        { name: 'humidity', datatypes: ['xsd:double'], unit: null },
      ],
    });

    expect(breaches).toEqual([
      { datasetPid: OTHER, breach: 'field-missing', field: 'door', expected: 'door', actual: null },
    ]);
  });

  it('withdrawn dataset is one breach', () => {
    expect(
      findBreaches(CONTRACT, { dataset: { pid: PID, status: 'withdrawn' }, properties: [] }),
    ).toEqual([
      {
        datasetPid: PID,
        breach: 'dataset-withdrawn',
        field: null,
        expected: 'active',
        actual: 'withdrawn',
      },
    ]);
  });
});

describe('contract datatypes', () => {
  it('integers keep a promise of doubles, not the reverse', () => {
    const contract: ProductContract = {
      fields: [
        {
          name: 'level',
          dataset: null,
          datatype: 'xsd:double',
          unit: null,
          minimum: null,
          maximum: null,
        },
        {
          name: 'count',
          dataset: null,
          datatype: 'xsd:integer',
          unit: null,
          minimum: null,
          maximum: null,
        },
      ],
      samplingIntervalSeconds: null,
    };
    const breaches = findBreaches(contract, {
      dataset: { pid: PID, status: 'active' },
      properties: [
        { name: 'level', datatypes: ['xsd:integer'], unit: null },
        { name: 'count', datatypes: ['xsd:double'], unit: null },
      ],
    });

    expect(breaches).toEqual([
      {
        datasetPid: PID,
        breach: 'datatype-changed',
        field: 'count',
        expected: 'xsd:integer',
        actual: 'xsd:double',
      },
    ]);
  });
});
