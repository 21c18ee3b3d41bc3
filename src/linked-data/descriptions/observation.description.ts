import type { DatasetEntity } from '../../catalog/entities/dataset.entity';
import type { ObservablePropertyEntity } from '../../catalog/entities/observable-property.entity';
import type { JsonLdNode, JsonLdValue } from '../json-ld/json-ld.types';
import { node } from '../json-ld/json-ld.types';
import { qudtUnitIri } from './qudt-units';
import { quantityKindIri } from './rdf-terms';

/** Return the IRI of an observable property: a fragment of its dataset's identifier, since properties have no identifier of their own. */
export function propertyIri(datasetPid: string, name: string): string {
  return `${datasetPid}#property-${encodeURIComponent(name)}`;
}

/**
 * Describe a sosa:ObservableProperty with its unit: the UCUM code as
 * qudt:ucumCode (the unit of record), the QUDT unit as qudt:hasUnit where
 * the UCUM code maps to one, and the QUDT quantity kind.
 */
export function describeProperty(
  datasetPid: string,
  property: ObservablePropertyEntity,
): JsonLdNode {
  return node({
    '@id': propertyIri(datasetPid, property.name),
    '@type': 'sosa:ObservableProperty',
    'rdfs:label': property.label ?? property.name,
    'dct:description': property.description,
    'weft:propertyName': property.name,
    'qudt:ucumCode': property.unit,
    'qudt:hasUnit': qudtUnitIri(property.unit),
    'qudt:hasQuantityKind': quantityKindIri(property.quantityKind),
    'weft:unitSourceText': property.unitSourceText,
    'weft:datatype': property.datatypes,
    'weft:minimum': finiteOrNull(property.minimum),
    'weft:maximum': finiteOrNull(property.maximum),
    'weft:observedCount': property.observedCount,
    'weft:enumValue': property.enumValues,
  });
}

/**
 * Describe the device the data comes from as a sosa:Platform that hosts a
 * sosa:Sensor observing the dataset's properties (SOSA, section 4.3), when
 * the source described a device. Both get fragments of the dataset's
 * identifier as IRIs.
 */
export function deviceNode(
  dataset: DatasetEntity,
  properties: ObservablePropertyEntity[],
): JsonLdNode | null {
  if (dataset.device === null) {
    return null;
  }
  const text = (key: string): string | undefined => {
    const value = dataset.device?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const name = text('name');
  const model = text('model');
  const manufacturer = text('manufacturer');
  if (name === undefined && model === undefined && manufacturer === undefined) {
    return null;
  }

  const sensor = node({
    '@id': `${dataset.pid}#sensor`,
    '@type': 'sosa:Sensor',
    'rdfs:label': `Sensor of ${name ?? model ?? dataset.title}`,
    'sosa:observes': properties.map((property) => ({
      '@id': propertyIri(dataset.pid, property.name),
    })),
  });
  return node({
    '@id': `${dataset.pid}#device`,
    '@type': 'sosa:Platform',
    'rdfs:label': name ?? model,
    'weft:manufacturer': manufacturer,
    'weft:model': model,
    'weft:softwareVersion': text('softwareVersion'),
    'sosa:hosts': sensor,
  });
}

function finiteOrNull(value: number | null): JsonLdValue | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
