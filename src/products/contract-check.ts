import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import type { ObservablePropertyEntity } from '../catalog/entities/observable-property.entity';
import type { ValueDatatype } from '../harvest/harvest.types';
import type { BreachKind } from './entities/data-product-alert.entity';
import type { ContractField, ProductContract } from './product-contract.types';

/** One way a member dataset departs from its product's contract. */
export interface ContractBreach {
  datasetPid: string;
  breach: BreachKind;
  field: string | null;
  expected: string | null;
  actual: string | null;
}

/** The harvested metadata of one member dataset that a contract is compared with. */
export interface HarvestedMember {
  dataset: Pick<DatasetEntity, 'pid' | 'status'>;
  properties: Array<Pick<ObservablePropertyEntity, 'name' | 'datatypes' | 'unit'>>;
}

/** Select the contract fields that apply to one member dataset: its own and those of every member. */
export function fieldsFor(contract: ProductContract, datasetPid: string): ContractField[] {
  return contract.fields.filter((field) => field.dataset === null || field.dataset === datasetPid);
}

/**
 * Compare a member dataset's harvested metadata with the contract. A
 * withdrawn dataset is one breach. Otherwise every contract field must be a
 * property of the dataset with the contract's datatype (the most frequent
 * one the harvester saw) and unit.
 */
export function findBreaches(contract: ProductContract, member: HarvestedMember): ContractBreach[] {
  const datasetPid = member.dataset.pid;
  if (member.dataset.status === 'withdrawn') {
    return [
      {
        datasetPid,
        breach: 'dataset-withdrawn',
        field: null,
        expected: 'active',
        actual: 'withdrawn',
      },
    ];
  }

  const byName = new Map(member.properties.map((property) => [property.name, property]));
  const breaches: ContractBreach[] = [];
  for (const field of fieldsFor(contract, datasetPid)) {
    const property = byName.get(field.name);
    if (property === undefined) {
      breaches.push({
        datasetPid,
        breach: 'field-missing',
        field: field.name,
        expected: field.name,
        actual: null,
      });
      continue;
    }

    const datatype = property.datatypes[0] ?? null;
    if (field.datatype !== null && !satisfies(datatype, field.datatype)) {
      breaches.push({
        datasetPid,
        breach: 'datatype-changed',
        field: field.name,
        expected: field.datatype,
        actual: datatype,
      });
    }
    if (field.unit !== null && property.unit !== field.unit) {
      breaches.push({
        datasetPid,
        breach: 'unit-changed',
        field: field.name,
        expected: field.unit,
        actual: property.unit,
      });
    }
  }
  return breaches;
}

/**
 * Check whether values seen as `seen` keep a promise of `promised`. Integers keep
 * a promise of doubles, because a JSON payload writes 21.0 as 21 and the
 * harvester then records xsd:integer.
 */
function satisfies(seen: ValueDatatype | null, promised: ValueDatatype): boolean {
  return seen === promised || (promised === 'xsd:double' && seen === 'xsd:integer');
}

/** Build the key under which repeated reports of one breach match and a new breach does not. */
export function breachKey(breach: Pick<ContractBreach, 'datasetPid' | 'breach' | 'field'>): string {
  return `${breach.datasetPid}\u0000${breach.breach}\u0000${breach.field ?? ''}`;
}
