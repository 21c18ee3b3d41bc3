import path from 'node:path';

import type { HarvestedProperty, HarvestIssue } from '../../src/harvest/harvest.types';
import { reviewMessageAlone } from '../../src/harvest/mqtt/offline-observation';
import type { DatasetFacts } from '../../src/harvest/mqtt/offline-observation';
import type { PayloadKind } from '../../src/harvest/mqtt/payload-schema';
import { readCorpusFile } from '../../src/harvest/mqtt/replay';
import type { CorpusMessage } from '../../src/harvest/mqtt/replay';
import { corpusDir } from './corpus';

/** Reads the messages of one file in the corpus's `mqtt/` folder. */
export function readMqttCorpus(fileName: string): CorpusMessage[] {
  return readCorpusFile(path.join(corpusDir(), 'mqtt', fileName));
}

/**
 * Expected metadata of one corpus line when the harvester observes it alone.
 * Omitted fields take the most common value: not retained, a JSON object, no
 * issues.
 */
export interface CorpusLineCase {
  line: number;
  topic: string;
  retain?: boolean;
  kind?: PayloadKind;
  /** Every dataset the message yields, by key. */
  datasets: Record<string, DatasetFacts>;
  issues?: HarvestIssue[];
}

/**
 * Declares the tests every corpus file shares: one case per line, the line's
 * topic and retain flag, and the metadata the message yields alone. `more`
 * adds the tests of a line that only one file has.
 */
export function describeCorpusLines<T extends CorpusLineCase>(
  messages: readonly CorpusMessage[],
  cases: readonly T[],
  more?: (testCase: T, message: CorpusMessage) => void,
): void {
  it('has a case for every message', () => {
    expect(cases.map((testCase) => testCase.line)).toEqual(messages.map((message) => message.line));
  });

  describe.each<T>([...cases])('line $line', (testCase) => {
    const message = messages.find((candidate) => candidate.line === testCase.line)!;

    it('is the expected message', () => {
      expect(message.topic).toBe(testCase.topic);
      // A retain of null (unknown) in the corpus is replayed as not retained.
      expect(message.retain).toBe(testCase.retain ?? false);
    });

    it('yields the expected metadata alone', () => {
      const review = reviewMessageAlone(message);

      expect(review.kind).toBe(testCase.kind ?? 'json-object');
      expect(review.datasets).toEqual(testCase.datasets);
      expect(review.issues).toEqual(testCase.issues ?? []);
    });

    more?.(testCase, message);
  });
}

/** Builds the case of a line that yields one dataset, keyed by its own topic. */
export function oneDataset(
  line: number,
  topic: string,
  dataset: DatasetFacts,
  rest: Omit<CorpusLineCase, 'line' | 'topic' | 'datasets'> = {},
): CorpusLineCase {
  return { line, topic, datasets: { [topic]: dataset }, ...rest };
}

/** Builds a live state topic of `format` with a JSON payload, as most devices send. */
export function stateDataset(
  format: string,
  title: string,
  properties: HarvestedProperty[],
  device?: DatasetFacts['device'],
): DatasetFacts {
  return {
    title,
    format,
    role: 'state',
    retained: false,
    mediaType: 'application/json',
    nonUtf8: false,
    ...(device === undefined ? {} : { device }),
    properties,
  };
}

/** Builders of the properties the payload schema infers, observed once unless a count is given. */
export const property = {
  text(name: string, values: string | string[], observedCount = 1): HarvestedProperty {
    const enumValues = typeof values === 'string' ? [values] : values;
    return { name, datatypes: ['xsd:string'], observedCount, enumValues };
  },

  flag(name: string, observedCount = 1): HarvestedProperty {
    return { name, datatypes: ['xsd:boolean'], observedCount };
  },

  dateTime(name: string, observedCount = 1): HarvestedProperty {
    return { name, datatypes: ['xsd:dateTime'], observedCount };
  },

  integer(name: string, minimum: number, maximum = minimum, observedCount = 1): HarvestedProperty {
    return { name, datatypes: ['xsd:integer'], observedCount, minimum, maximum };
  },

  double(name: string, minimum: number, maximum = minimum, observedCount = 1): HarvestedProperty {
    return { name, datatypes: ['xsd:double'], observedCount, minimum, maximum };
  },

  nullValue(name: string): HarvestedProperty {
    return { name, datatypes: [], observedCount: 1, anomalies: { null: 1 } };
  },
};
